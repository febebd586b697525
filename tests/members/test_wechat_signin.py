"""Signing in from the WeChat mini-program, against a local server answering as WeChat does."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from core.models import NotificationLog
from members.models import User
from tests.factories import UserFactory

LOGIN = "/api/v3/members/wechat/login/"
PHONE = "/api/v3/members/wechat/phone/"

pytestmark = pytest.mark.django_db


def post(client, url, data, token=None):
    headers = {"X-Session-Token": token} if token else {}
    return client.post(url, data, content_type="application/json", headers=headers)


def sign_in(client, code):
    response = post(client, LOGIN, {"code": code})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_mini_program_code_signs_a_new_member_in_and_the_token_reads_me(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1", "unionid": "u-rider-1"}

    body = sign_in(client, "code-1")

    assert body["status"] == 200
    assert body["meta"]["is_authenticated"] is True
    assert body["meta"]["phone_required"] is True
    token = body["meta"]["session_token"]
    me = Client().get("/api/v3/members/me/", headers={"X-Session-Token": token})
    assert me.status_code == 200
    assert me.json()["username"] == body["data"]["user"]["username"]
    account = SocialAccount.objects.get(provider="weixin", uid="o-rider-1")
    assert account.user_id == me.json()["id"]
    assert account.extra_data == {"openid": "o-rider-1", "unionid": "u-rider-1", "appid": "wx-test-miniprogram"}
    # WeChat was asked with the mini-program's credentials and the code, as its API wants.
    (call,) = wechat_api.calls("/sns/jscode2session")
    assert call["query"] == {"appid": "wx-test-miniprogram", "secret": "test-miniprogram-secret",
                             "js_code": "code-1", "grant_type": "authorization_code"}
    # The token is allauth's: its own app API knows the session too.
    session = Client().get("/_allauth/app/v1/auth/session", headers={"X-Session-Token": token})
    assert session.status_code == 200 and session.json()["data"]["user"]["id"] == account.user_id


def test_signing_in_again_finds_the_same_member(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    wechat_api.sessions["code-2"] = {"openid": "o-rider-1"}
    first = sign_in(client, "code-1")
    second = sign_in(Client(), "code-2")
    assert first["data"]["user"]["id"] == second["data"]["user"]["id"]
    assert first["meta"]["session_token"] != second["meta"]["session_token"]
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_a_unionid_given_later_is_kept(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    wechat_api.sessions["code-2"] = {"openid": "o-rider-1", "unionid": "u-rider-1"}
    sign_in(client, "code-1")
    sign_in(client, "code-2")
    assert SocialAccount.objects.get().extra_data["unionid"] == "u-rider-1"


@pytest.mark.parametrize(("code", "errcode", "status", "problem"), [
    ("bad-code", None, 400, "wechat_code_invalid"),          # WeChat: 40029 invalid code
    ("limited", 45011, 429, "wechat_rate_limited"),
    ("busy", -1, 503, "wechat_unavailable"),
])
def test_wechat_refusing_the_code_creates_nothing(wechat_api, client, code, errcode, status, problem):
    if errcode:
        wechat_api.errors[code] = errcode
    response = post(client, LOGIN, {"code": code})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == problem
    assert response.json()["detail"]
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_a_code_used_twice_is_refused(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    sign_in(client, "code-1")
    again = post(Client(), LOGIN, {"code": "code-1"})
    assert again.status_code == 400 and again.json()["code"] == "wechat_code_invalid"


def test_a_timeout_is_503_and_creates_nothing(wechat_api, client):
    wechat_api.sessions["slow-code"] = {"openid": "o-rider-1"}
    wechat_api.slow.add("slow-code")
    response = post(client, LOGIN, {"code": "slow-code"})
    assert response.status_code == 503
    assert response.json()["code"] == "wechat_unavailable"
    assert not User.objects.exists()


def test_a_wrong_secret_is_503_not_the_members_fault(wechat_api, client, settings):
    settings.WECHAT_MINIPROGRAM_SECRET = "wrong"
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    response = post(client, LOGIN, {"code": "code-1"})
    assert response.status_code == 503 and response.json()["code"] == "wechat_unavailable"


def test_without_credentials_the_server_says_wechat_is_not_set_up(client, settings):
    settings.WECHAT_MINIPROGRAM_APP_ID = ""
    response = post(client, LOGIN, {"code": "code-1"})
    assert response.status_code == 404 and response.json()["code"] == "wechat_not_configured"


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "a b"}, {"code": "x" * 200}, {"code": 5}])
def test_bad_input_is_422_and_wechat_is_not_asked(wechat_api, client, body):
    assert post(client, LOGIN, body).status_code == 422
    assert not wechat_api.requests


def test_unionid_joins_the_member_who_has_it_already(wechat_api, client):
    """The web's WeChat account (another openid, same unionid) and the mini-program's are one
    member (members.adapter.SocialAccountAdapter)."""
    member = UserFactory(phone_verified=True)
    SocialAccount.objects.create(user=member, provider="weixin", uid="o-web-1",
                                 extra_data={"openid": "o-web-1", "unionid": "u-rider-1", "nickname": "小李"})
    wechat_api.sessions["code-1"] = {"openid": "o-mini-1", "unionid": "u-rider-1"}
    body = sign_in(client, "code-1")
    assert body["data"]["user"]["id"] == member.pk
    assert set(member.socialaccount_set.values_list("uid", flat=True)) == {"o-web-1", "o-mini-1"}
    assert User.objects.count() == 1


def test_a_member_with_an_unverified_phone_verifies_it_first_as_in_any_allauth_login(wechat_api, client):
    member = UserFactory(phone_verified=False)
    SocialAccount.objects.create(user=member, provider="weixin", uid="o-rider-1",
                                 extra_data={"openid": "o-rider-1", "appid": "wx-test-miniprogram"})
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    response = post(client, LOGIN, {"code": "code-1"})
    # allauth's login stage: a code went to the phone, and its app API takes it with this token.
    assert response.status_code == 401
    body = response.json()
    assert {f["id"] for f in body["data"]["flows"] if f.get("is_pending")} == {"verify_phone"}
    assert body["meta"]["session_token"] and body["meta"]["is_authenticated"] is False
    assert Client().get("/api/v3/members/me/", headers={"X-Session-Token": body["meta"]["session_token"]}
                        ).status_code == 401


# --- the phone WeChat verified ------------------------------------------------------------------

def test_first_sign_in_binds_the_phone_wechat_verified(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    wechat_api.phones["phone-code-1"] = ("o-rider-1", "86", "13812345678")

    response = post(Client(), PHONE, {"code": "phone-code-1"}, token=token)

    assert response.status_code == 200, response.content
    assert response.json() == {"phone": "+8613812345678", "phone_verified": True, "phone_required": False}
    me = Client().get("/api/v3/members/me/", headers={"X-Session-Token": token}).json()
    assert me["phone"] == "+8613812345678" and me["phone_verified"] is True
    # The access_token came from stable_token, and WeChat was told whose code it is.
    assert len(wechat_api.calls("/cgi-bin/stable_token")) == 1
    (call,) = wechat_api.calls("/wxa/business/getuserphonenumber")
    assert call["body"] == {"code": "phone-code-1", "openid": "o-rider-1"}
    assert call["query"]["access_token"] == wechat_api.tokens[0]
    # The next sign-in says no phone is needed any more.
    wechat_api.sessions["code-2"] = {"openid": "o-rider-1"}
    assert sign_in(Client(), "code-2")["meta"]["phone_required"] is False


def test_the_access_token_is_cached_until_wechat_says_it_is_no_longer_valid(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    for n in range(3):
        wechat_api.phones[f"phone-{n}"] = ("o-rider-1", "86", f"1381234567{n}")
    assert post(client, PHONE, {"code": "phone-0"}, token=token).status_code == 200
    assert post(client, PHONE, {"code": "phone-1"}, token=token).status_code == 200
    assert len(wechat_api.calls("/cgi-bin/stable_token")) == 1

    wechat_api.revoked.add(wechat_api.tokens[0])  # refreshed by another server, say
    assert post(client, PHONE, {"code": "phone-2"}, token=token).status_code == 200
    assert len(wechat_api.calls("/cgi-bin/stable_token")) == 2
    assert User.objects.get().phone == "+8613812345672"


def test_a_phone_bound_to_another_account_is_409_and_nothing_changes(wechat_api, client):
    UserFactory(phone="+8613812345678")
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    wechat_api.phones["phone-code-1"] = ("o-rider-1", "86", "13812345678")

    response = post(client, PHONE, {"code": "phone-code-1"}, token=token)

    assert response.status_code == 409
    assert response.json()["code"] == "phone_taken"
    assert "another account" in response.json()["detail"] or "其他" in response.json()["detail"] \
        or "另一个" in response.json()["detail"]
    rider = SocialAccount.objects.get(uid="o-rider-1").user
    rider.refresh_from_db()
    assert rider.phone is None and rider.phone_verified is False


def test_a_phone_code_of_another_wechat_user_is_refused(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    wechat_api.phones["phone-code-1"] = ("o-someone-else", "86", "13812345678")
    response = post(client, PHONE, {"code": "phone-code-1"}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "wechat_code_invalid"
    assert not User.objects.filter(phone="+8613812345678").exists()


def test_phone_binding_needs_a_mini_program_account(wechat_api, member_client):
    response = member_client.post(PHONE, {"code": "phone-code-1"}, content_type="application/json")
    # A browser member with no WeChat account: nothing to ask WeChat about.
    assert response.status_code == 409 and response.json()["code"] == "wechat_not_linked"
    assert not wechat_api.calls("/wxa/business/getuserphonenumber")


def test_phone_binding_needs_a_signed_in_member(wechat_api):
    assert post(Client(), PHONE, {"code": "phone-code-1"}).status_code == 401


def test_timeouts_while_binding_are_503(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    wechat_api.phones["phone-code-1"] = ("o-rider-1", "86", "13812345678")
    wechat_api.slow.add("phone-code-1")
    response = post(client, PHONE, {"code": "phone-code-1"}, token=token)
    assert response.status_code == 503 and response.json()["code"] == "wechat_unavailable"
    assert User.objects.get().phone is None


def test_the_member_export_holds_their_wechat_ids_and_no_one_else_sees_them(wechat_api, client):
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1", "unionid": "u-rider-1"}
    token = sign_in(client, "code-1")["meta"]["session_token"]
    export = Client().get("/api/v3/members/me/export/", headers={"X-Session-Token": token}).json()
    assert export["wechat_accounts"][0]["openid"] == "o-rider-1"
    assert export["wechat_accounts"][0]["unionid"] == "u-rider-1"
    other = UserFactory()
    other_client = Client()
    other_client.force_login(other)
    assert "o-rider-1" not in other_client.get("/api/v3/members/me/export/").content.decode()
    assert not NotificationLog.objects.exists()


def test_two_first_sign_ins_at_once_make_one_member(wechat_api, client, monkeypatch):
    """The other request created the account between our lookup and our insert: the unique
    (provider, uid) refuses the second, and the sign-in finds the first instead of a 500."""
    from allauth.socialaccount.models import SocialLogin

    other = UserFactory(phone_verified=True)
    SocialAccount.objects.create(user=other, provider="weixin", uid="o-rider-1",
                                 extra_data={"openid": "o-rider-1", "appid": "wx-test-miniprogram"})
    real_lookup = SocialLogin.lookup
    calls = []

    def late_lookup(self):
        calls.append(1)
        if len(calls) > 1:
            real_lookup(self)  # the first lookup ran before the other request committed

    monkeypatch.setattr(SocialLogin, "lookup", late_lookup)
    wechat_api.sessions["code-1"] = {"openid": "o-rider-1"}
    body = sign_in(client, "code-1")
    assert body["data"]["user"]["id"] == other.pk
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1
