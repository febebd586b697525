"""What an app is told when its login is missing or gone: 401 "log in again", never a CSRF 403."""

import pytest
from django.test import Client

from core.management.commands.seed_demo import DEMO_PASSWORD
from members.models import User

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"


def test_write_without_or_with_an_expired_session_token_is_401_not_csrf_403(app_token):
    user, token = app_token()
    app = Client(enforce_csrf_checks=True)
    assert app.patch("/api/v3/members/me/", {"display_name": "小周"}, content_type="application/json",
                     headers={"X-Session-Token": token}).status_code == 200

    missing = app.patch("/api/v3/members/me/", {"display_name": "小周"}, content_type="application/json")
    assert missing.status_code == 401, missing.content
    logout = app.delete(f"{APP}/auth/session", headers={"X-Session-Token": token})
    assert logout.status_code == 401  # allauth: the session is gone
    expired = app.patch("/api/v3/members/me/", {"display_name": "小周"}, content_type="application/json",
                        headers={"X-Session-Token": token})
    assert expired.status_code == 401, expired.content
    user.refresh_from_db()
    assert user.display_name == "小周"


def test_a_logged_in_browser_without_the_csrf_token_is_still_refused(client):
    user = User.objects.create_user(username="zhou", email="zhou@example.cn", password=DEMO_PASSWORD)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.patch("/api/v3/members/me/", {"display_name": "x"}, content_type="application/json")
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.display_name != "x"


def test_app_login_by_the_username_printed_by_make_run(client):
    User.objects.create_user(username="worker1", email="worker1@qingshi.example.cn", password=DEMO_PASSWORD)
    response = client.post(f"{APP}/auth/login", {"username": "worker1", "password": DEMO_PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["is_authenticated"] is True
