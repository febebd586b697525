"""WeChat subscription messages (订阅消息): acceptance recorded from the mini-program, sent through
the notifier with the kind's template mapping, against the local WeChat server (tests/wechat.py)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from core.models import NoticeTemplate, NotificationLog, WeChatSubscription
from core.notify import notify, send_due
from core.wechat_messages import field_value
from members.models import User
from tests.core.notices_fixtures import test_notices  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/api/v3/members/wechat/subscriptions/"
TEMPLATE = "tmpl-class-changed"


@pytest.fixture
def wechat_backend(settings, wechat_api, test_notices):  # noqa: F811
    settings.FENGCHAO_NOTIFY_BACKENDS = {"wechat": "core.wechat_messages.WeChatSubscriptionBackend"}
    wechat_api.templates.add(TEMPLATE)
    NoticeTemplate.objects.create(kind="tests.class_changed", channel="wechat", provider="wechat",
                                  template_code=TEMPLATE, fields="thing1 = title\ntime2 = when")
    return wechat_api


@pytest.fixture
def rider(wechat_backend):
    wechat_backend.sessions["code-1"] = {"openid": "o-rider-1"}
    body = Client().post("/api/v3/members/wechat/login/", {"code": "code-1"},
                         content_type="application/json").json()
    return User.objects.get(pk=body["data"]["user"]["id"]), body["meta"]["session_token"]


def accept(token, results):
    return Client().post(SUBSCRIPTIONS, {"results": results}, content_type="application/json",
                         headers={"X-Session-Token": token})


def send(user, django_capture_on_commit_callbacks, title="太极拳"):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user, kind="tests.class_changed", channels=("wechat",),
                      params={"title": title, "when": "2026-12-03T09:30:00+08:00"}) == 1
    return NotificationLog.objects.filter(channel="wechat").latest("pk")


def test_the_mini_program_learns_which_templates_to_ask_for(rider):
    _user, token = rider
    listing = Client().get(SUBSCRIPTIONS, headers={"X-Session-Token": token})
    assert listing.status_code == 200
    assert listing.json() == {"templates": [{"template_id": TEMPLATE, "kinds": ["tests.class_changed"],
                                             "remaining": 0}], "ignored": []}


def test_each_acceptance_allows_one_message(rider):
    user, token = rider
    answer = accept(token, {TEMPLATE: "accept", "tmpl-unknown": "accept", "errMsg": "requestSubscribeMessage:ok"})
    assert answer.status_code == 200
    assert answer.json()["templates"][0]["remaining"] == 1 and answer.json()["ignored"] == ["tmpl-unknown"]
    accept(token, {TEMPLATE: "accept"})
    accept(token, {TEMPLATE: "reject"})
    assert WeChatSubscription.objects.get(user=user).remaining == 2
    assert not WeChatSubscription.objects.filter(template_id="tmpl-unknown").exists()


def test_a_notice_goes_out_as_a_subscription_message_and_uses_the_acceptance(
        rider, wechat_backend, django_capture_on_commit_callbacks):
    user, token = rider
    accept(token, {TEMPLATE: "accept"})
    wechat_backend.grants[("o-rider-1", TEMPLATE)] = 1

    log = send(user, django_capture_on_commit_callbacks)

    log.refresh_from_db()
    assert log.status == "sent" and log.recipient == "o-rider-1"
    assert log.provider == "wechat" and log.template_code == TEMPLATE and log.message_id
    (call,) = wechat_backend.calls("/cgi-bin/message/subscribe/send")
    assert call["body"]["touser"] == "o-rider-1" and call["body"]["template_id"] == TEMPLATE
    assert call["body"]["data"] == {"thing1": {"value": "太极拳"}, "time2": {"value": "2026年12月3日 09:30"}}
    assert WeChatSubscription.objects.get(user=user).remaining == 0

    # A second notice finds no acceptance left: WeChat is not asked, and the log says why.
    second = send(user, django_capture_on_commit_callbacks, title="八段锦")
    second.refresh_from_db()
    assert second.status == "failed" and second.provider_code == "not_subscribed"
    assert len(wechat_backend.calls("/cgi-bin/message/subscribe/send")) == 1


def test_wechat_saying_43101_records_the_acceptance_as_used(rider, wechat_backend,
                                                            django_capture_on_commit_callbacks):
    user, token = rider
    accept(token, {TEMPLATE: "accept"})  # recorded here, but WeChat has no grant (withdrawn)
    log = send(user, django_capture_on_commit_callbacks)
    log.refresh_from_db()
    assert log.status == "failed" and log.provider_code == "43101"
    assert "refuse" in log.provider_message
    assert WeChatSubscription.objects.get(user=user).remaining == 0


def test_a_timeout_is_retried_and_sent_once(rider, wechat_backend, django_capture_on_commit_callbacks):
    user, token = rider
    accept(token, {TEMPLATE: "accept"})
    wechat_backend.grants[("o-rider-1", TEMPLATE)] = 1
    wechat_backend.slow.add("subscribe")

    log = send(user, django_capture_on_commit_callbacks)
    log.refresh_from_db()
    assert log.status == "retry" and log.provider_code == "network"
    assert WeChatSubscription.objects.get(user=user).remaining == 1  # not used by a failed try

    wechat_backend.slow.discard("subscribe")
    send_due(now=timezone.now() + datetime.timedelta(hours=1))
    log.refresh_from_db()
    assert log.status == "sent"
    assert WeChatSubscription.objects.get(user=user).remaining == 0
    assert wechat_backend.grants[("o-rider-1", TEMPLATE)] == 0


def test_members_without_a_mini_program_account_get_no_wechat_notice(wechat_backend, member,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(member, kind="tests.class_changed", channels=("wechat",),
                      params={"title": "太极拳", "when": "明天"}) == 0
    assert not NotificationLog.objects.filter(channel="wechat").exists()


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("thing1", "社区食堂本周菜单更新，欢迎老人们前来用餐并提出意见", "社区食堂本周菜单更新，欢迎老人们前来用…"),
    ("time2", "2026-12-03T01:30:00+00:00", "2026年12月3日 09:30"),
    ("date3", "2026-12-03", "2026年12月3日"),
    ("phrase4", "已确认", "已确认"),
    ("time5", "明天上午", "明天上午"),
])
def test_values_fit_wechats_field_rules(field, value, expected):
    assert field_value(field, value) == expected
