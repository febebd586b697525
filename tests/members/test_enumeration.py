"""Sign-up and password reset do not tell which e-mail addresses (or phones) have an account.

Before: signing up with a registered address answered "此电子邮件地址已被其他用户注册" on the page
and 400 ``email_taken`` from the headless API, while a new address logged straight in."""

import pytest
from django.core import mail
from django.test import Client

from tests.accounts import confirm_signup_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"
PASSWORD = "Ride-safe-2026"


@pytest.fixture
def owner():
    return UserFactory(email="taken@example.com", phone="+8613812345678", phone_verified=True)


def shape(response):
    """What a caller can tell an answer by: status, the flows offered and which is pending."""
    body = response.json()
    flows = body.get("data", {}).get("flows", [])
    return (response.status_code, sorted((f["id"], bool(f.get("is_pending"))) for f in flows),
            body.get("meta", {}).get("is_authenticated"), [e.get("code") for e in body.get("errors", [])])


@pytest.mark.parametrize("base", [APP, BROWSER])
def test_headless_sign_up_answers_alike_for_a_taken_and_a_new_address(owner, base):
    def sign_up(email):
        return Client().post(f"{base}/auth/signup", {"email": email, "password": PASSWORD},
                             content_type="application/json")

    taken, new = sign_up("taken@example.com"), sign_up("new@example.com")
    assert shape(taken) == shape(new), (taken.content, new.content)
    assert taken.status_code == 401 and ("verify_email", True) in shape(taken)[1]
    assert "email_taken" not in taken.content.decode()
    # The owner is told someone tried; the newcomer gets the confirmation.
    to = {tuple(m.to): m.body for m in mail.outbox}
    assert ("taken@example.com",) in to and ("new@example.com",) in to
    owner.refresh_from_db()
    assert owner.check_password("Fengchao-2026!")  # nothing about the existing account changed


def test_headless_sign_up_with_a_taken_phone_answers_like_a_new_one(owner):
    def sign_up(email, phone):
        return Client().post(f"{APP}/auth/signup", {"email": email, "phone": phone, "password": PASSWORD},
                             content_type="application/json")

    taken = sign_up("someone@example.com", "+8613812345678")
    new = sign_up("other@example.com", "+8613700009999")
    assert shape(taken) == shape(new) and taken.status_code == 401
    assert "phone_taken" not in taken.content.decode()


def test_the_sign_up_page_answers_alike_for_a_taken_and_a_new_address(owner):
    def sign_up(email):
        return Client().post("/accounts/signup/", {"email": email, "phone": "", "password1": PASSWORD})

    taken, new = sign_up("taken@example.com"), sign_up("new@example.com")
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"]
    assert "已被" not in Client().get(taken["Location"]).content.decode()


@pytest.mark.parametrize("base", [APP, BROWSER])
def test_headless_password_reset_answers_alike(owner, base):
    def reset(email):
        return Client().post(f"{base}/auth/password/request", {"email": email}, content_type="application/json")

    known, unknown = reset("taken@example.com"), reset("nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()


def test_the_password_reset_page_answers_alike(owner):
    known = Client().post("/accounts/password/reset/", {"email": "taken@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]


def test_a_member_whose_address_is_not_confirmed_still_logs_in(owner):
    """Confirmation is asked at sign-up only: existing members (and phone callers' accounts,
    which have no e-mail at all) log in as before."""
    for login in ({"email": "taken@example.com"}, {"username": owner.username}):
        response = Client().post(f"{APP}/auth/login", {**login, "password": "Fengchao-2026!"},
                                 content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["meta"]["is_authenticated"] is True


def test_a_new_member_confirms_the_address_then_is_in():
    response = Client().post(f"{APP}/auth/signup", {"email": "rider@example.com", "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 401
    verified = confirm_signup_email(Client(), APP, "rider@example.com",
                                    {"X-Session-Token": response.json()["meta"]["session_token"]})
    assert verified.status_code == 200, verified.content
    assert verified.json()["meta"]["is_authenticated"] is True
    me = Client().get("/api/v3/members/me/", headers={"X-Session-Token": verified.json()["meta"]["session_token"]})
    assert me.status_code == 200 and me.json()["email"] == "rider@example.com"
