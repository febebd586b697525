"""The account pages (allauth's, in the site's layout): each has its own title, and a failed
login is announced, not left as a plain bullet."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def title(response):
    return re.sub(r"\s+", " ", re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)).strip()


def test_login_sign_up_code_login_and_password_reset_have_their_own_titles(client):
    titles = [title(client.get(reverse(name))) for name in
              ("account_login", "account_signup", "account_request_login_code", "account_reset_password")]
    assert len(set(titles)) == 4, titles
    assert titles[0].startswith("登录 · ")


def test_a_failed_login_is_announced_and_tied_to_the_form(client):
    UserFactory(email="laoli@example.com", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "laoli@example.com", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert title(response).startswith("错误: 登录")
    alert = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', body, re.S)
    assert alert and "不正确" in alert.group(1)
    assert '<ul class="errorlist' not in body


def test_a_missing_field_says_which_and_marks_it_invalid(client):
    body = client.post(reverse("account_login"), {"login": "laoli@example.com", "password": ""}).content.decode()
    field = re.search(r'<input[^>]*name="password"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field and 'id_password_error' in field
    assert 'id="id_password_error"' in body


def test_remember_me_is_a_row_with_the_box_inside_its_label(client):
    body = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<label class="choice" for="id_remember">\s*<input type="checkbox" name="remember"', body)
