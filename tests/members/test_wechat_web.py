"""The web's WeChat sign-in: allauth's weixin provider, its button only when configured, its OAuth
callback against the local WeChat server (tests/wechat.py)."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter
from django.test import Client

from members.models import User
from tests.factories import UserFactory
from tests.wechat import WEB_APP_ID, WEB_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def web_wechat(wechat_api, settings, monkeypatch):
    """The website app configured, and allauth's provider pointed at the local server."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"APPS": [{"client_id": WEB_APP_ID, "secret": WEB_SECRET}], "SCOPE": ["snsapi_login"]},
    }
    base = settings.WECHAT_API_BASE
    monkeypatch.setattr(WeixinOAuth2Adapter, "access_token_url", f"{base}/sns/oauth2/access_token")
    monkeypatch.setattr(WeixinOAuth2Adapter, "profile_url", f"{base}/sns/userinfo")
    return wechat_api


def test_no_wechat_button_without_credentials(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"weixin": {"APPS": []}}
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "微信登录" not in page.content.decode()
    assert "/accounts/weixin/login/" not in page.content.decode()


def test_the_login_page_offers_wechat_when_configured(client, web_wechat):
    page = client.get("/accounts/login/").content.decode()
    assert "微信登录" in page
    assert 'href="/accounts/weixin/login/?process=login"' in page


def web_sign_in(client, code):
    """The browser's trip: our confirmation page, WeChat's QR page, back to our callback."""
    confirm = client.get("/accounts/weixin/login/?process=login")
    assert confirm.status_code == 200
    to_wechat = client.post("/accounts/weixin/login/?process=login")
    assert to_wechat.status_code == 302
    location = urlparse(to_wechat["Location"])
    assert (location.netloc, location.path) == ("open.weixin.qq.com", "/connect/qrconnect")
    query = parse_qs(location.query)
    assert query["appid"] == [WEB_APP_ID] and query["scope"] == ["snsapi_login"]
    return client.get(f"/accounts/weixin/login/callback/?code={code}&state={query['state'][0]}")


def test_the_oauth_callback_signs_a_new_member_in(web_wechat):
    web_wechat.web_users["web-code-1"] = {"openid": "o-web-1", "unionid": "u-1", "nickname": "骑手小王"}
    browser = Client()
    done = web_sign_in(browser, "web-code-1")
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert done["Location"] == "/members/"
    account = SocialAccount.objects.get(provider="weixin", uid="o-web-1")
    assert account.extra_data["unionid"] == "u-1"
    assert browser.get("/api/v3/members/me/").json()["id"] == account.user_id
    assert not account.user.has_usable_password()


def test_the_web_account_joins_the_mini_program_member_by_unionid(web_wechat, client):
    web_wechat.sessions["mini-code"] = {"openid": "o-mini-1", "unionid": "u-1"}
    mini = client.post("/api/v3/members/wechat/login/", {"code": "mini-code"}, content_type="application/json")
    member_id = mini.json()["data"]["user"]["id"]
    web_wechat.web_users["web-code-1"] = {"openid": "o-web-1", "unionid": "u-1", "nickname": "骑手小王"}
    browser = Client()
    assert web_sign_in(browser, "web-code-1").status_code == 302
    assert browser.get("/api/v3/members/me/").json()["id"] == member_id
    assert User.objects.count() == 1
    assert set(SocialAccount.objects.values_list("uid", "user_id")) == {("o-mini-1", member_id), ("o-web-1", member_id)}


def test_a_code_wechat_refuses_signs_nobody_in(web_wechat):
    browser = Client()
    failed = web_sign_in(browser, "forged")
    assert failed.status_code == 401  # allauth's "Third-Party Login Failure" page
    assert not User.objects.exists()
    assert browser.get("/api/v3/members/me/").status_code == 401


def test_a_member_without_the_web_app_still_sees_their_wechat_connection(wechat_api, client, settings):
    """No website app, a mini-program account: allauth's connections page lists it (the adapter
    falls back to the mini-program's provider) instead of failing."""
    settings.SOCIALACCOUNT_PROVIDERS = {"weixin": {"APPS": []}}
    member = UserFactory(phone_verified=True)
    SocialAccount.objects.create(user=member, provider="weixin", uid="o-mini-1",
                                 extra_data={"openid": "o-mini-1", "appid": "wx-test-miniprogram"})
    client.force_login(member)
    assert client.get("/accounts/3rdparty/").status_code == 200
