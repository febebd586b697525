"""Content-Security-Policy and Permissions-Policy are on (Django 6's CSP middleware, settings.py).

Strict everywhere (no inline script or style, this origin only); under /admin/ Wagtail's admin is
allowed inline script and style, which it needs (config/settings.py says why). The browser test
(tests/programs/test_csp_browser.py) proves the pages still work under the policy.
"""

import pytest

from tests.factories import UserFactory


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_and_the_api_send_a_strict_policy(client):
    for url in ("/", "/accounts/login/", "/api/v3/plugins/"):
        response = client.get(url)
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        permissions = response["Permissions-Policy"]
        assert "camera=(self)" in permissions and "microphone=()" in permissions and "geolocation=(self)" in permissions


@pytest.mark.django_db
def test_only_the_admin_may_run_inline_script(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    admin = directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin["script-src"] and admin["object-src"] == ["'none'"]
    assert directives(client.get("/members/me/")["Content-Security-Policy"])["script-src"] == ["'self'"]
