"""The member home "我的": where a member lands after logging in, listing what is coming up for
them in every enabled plugin through the plugin contract (PluginConfig.member_home)."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

import core.plugins
from core.plugins import HomeItem, HomeSection
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def meals(user, now):
    return HomeSection(title="食堂", link_url="/meals/mine/", link_text="我的预订", items=[
        HomeItem(when=now + datetime.timedelta(days=3), when_text="三天后午餐", title="午餐 · 一荤两素"),
        HomeItem(when=now + datetime.timedelta(hours=2), when_text="今天午餐", title="午餐 · 清炒时蔬"),
    ])


def classes(user, now):
    return HomeSection(title="课堂", link_url="/classes/mine/", link_text="我的报名", items=[
        HomeItem(when=now + datetime.timedelta(days=1), when_text="明天 09:00", title="智能手机课",
                 url="/classes/mine/#r1"),
    ])


def nothing_for_this_member(user, now):
    return None


def with_plugins(monkeypatch, *homes):
    configs = [SimpleNamespace(label=f"p{n}", member_home=f"{__name__}.{home.__name__}") for n, home in enumerate(homes)]
    monkeypatch.setattr(core.plugins, "plugins", lambda: configs)


def test_logging_in_lands_on_the_member_home(client):
    UserFactory(email="laozhang@example.com", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "laozhang@example.com", "password": "Fengchao-2026!"})
    assert response.status_code == 302 and response.url == reverse("members:home") == "/members/"


def test_member_home_merges_every_plugins_items_soonest_first(member_client, monkeypatch):
    with_plugins(monkeypatch, meals, nothing_for_this_member, classes)
    response = member_client.get(reverse("members:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert [item.title for item in response.context["coming_up"]] == ["午餐 · 清炒时蔬", "智能手机课", "午餐 · 一荤两素"]
    assert body.index("今天午餐") < body.index("明天 09:00") < body.index("三天后午餐")
    assert 'href="/classes/mine/#r1"' in body
    # each plugin's own full list, and the account pages
    assert 'href="/meals/mine/"' in body and 'href="/classes/mine/"' in body
    assert f'href="{reverse("members:profile")}"' in body


def test_member_home_works_without_any_plugin(member_client, monkeypatch):
    with_plugins(monkeypatch)
    response = member_client.get(reverse("members:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>我的</h1>" in body and "目前没有您的安排" in body
    assert f'href="{reverse("members:profile")}"' in body


def test_member_home_needs_a_login(client):
    response = client.get(reverse("members:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_navigation_leads_members_to_their_home(member_client):
    body = member_client.get(reverse("members:profile")).content.decode()
    assert f'<a href="{reverse("members:home")}">我的</a>' in body
