"""/admin/login/ is throttled per account and per address (members.admin_login)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Fengchao-Admin-2026!"


@pytest.fixture
def editor():
    user = UserFactory(username="editor1", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password, address="10.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return client.get("/admin/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_wrong_passwords_lock_the_account_even_for_the_right_one(editor):
    client = Client()
    for _ in range(5):
        response = login(client, "editor1", "wrong")
        assert response.status_code == 200 and not logged_in(client)
    # From another address, and in another case: the account itself is locked.
    response = login(client, "EDITOR1", PASSWORD, address="10.0.0.2")
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)


def test_one_address_trying_many_accounts_is_stopped(editor):
    client = Client()
    for number in range(20):
        login(client, f"guess{number}", "wrong")
    response = login(client, "editor1", PASSWORD)
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
    # Another address still logs in.
    other = Client()
    assert login(other, "editor1", PASSWORD, address="10.0.0.9").status_code == 302


def test_a_few_mistakes_do_not_lock_anyone_out(editor):
    client = Client()
    for _ in range(4):
        login(client, "editor1", "wrong")
    assert login(client, "editor1", PASSWORD).status_code == 302
    assert logged_in(client)
