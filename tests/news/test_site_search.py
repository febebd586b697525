"""The site search (/search/, /api/v3/search/) across the plugins' public content: stories
through the news plugin's ``searchables``, partial names, never drafts or private pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.plugins import is_enabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(make_story, author):
    return {
        "gig": make_story("青石街道零工驿站正式启用", body_text="骑手可以在这里歇脚、给手机充电。",
                          standfirst="歇脚、充电、找活，一站办好。", authors=[author], image=False),
        "meals": make_story("荷花社区食堂为独居老人送餐", body_text="志愿者每天中午把饭菜送到老人家里。", image=False),
        "draft": make_story("零工驿站招聘会草稿", body_text="还没发布。", authors=[author], publish=False, image=False),
    }


def _titles(html):
    return re.findall(r'class="card-title">([^<]*)<', html)


def test_partial_name_finds_the_writers_stories(client, stories):
    response = client.get("/search/", {"q": "晓岚"})
    assert response.status_code == 200
    assert _titles(response.content.decode()) == ["青石街道零工驿站正式启用"]


def test_results_are_labelled_by_kind_and_never_drafts_or_private(client, stories):
    from wagtail.models import PageViewRestriction

    private = stories["meals"]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    html = client.get("/search/", {"q": "驿站"}).content.decode()
    assert "青石街道零工驿站正式启用" in html
    assert "零工驿站招聘会草稿" not in html
    assert re.search(r'<h2 id="kind-1">[^<]+</h2>', html)  # grouped under the kind's heading
    assert "歇脚、充电、找活，一站办好。" in html  # the summary (standfirst)
    assert "荷花社区食堂为独居老人送餐" not in client.get("/search/", {"q": "独居老人"}).content.decode()


def test_api_matches_the_page(client, stories):
    response = client.get("/api/v3/search/", {"search": "独居老人"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [(kind["key"], kind["count"]) for kind in body["kinds"]] == [("news.storypage", 1)]
    (item,) = body["items"]
    assert item["title"] == "荷花社区食堂为独居老人送餐" and item["url"] == stories["meals"].url
    only_news = client.get("/api/v3/search/", {"search": "驿站", "kind": "news.storypage"}).json()
    assert [i["id"] for i in only_news["items"]] == [stories["gig"].pk]
    assert client.get("/api/v3/search/", {"search": "驿站", "kind": "nothing.here"}).json()["items"] == []


def test_pagination_and_constant_queries(client, make_story):
    for i in range(13):
        make_story(f"驿站服务第{i + 1}期", image=False)
    first = client.get("/search/", {"q": "驿站"}).content.decode()
    assert len(_titles(first)) == 10 and 'rel="next"' in first
    second = client.get("/search/", {"q": "驿站", "page": 2}).content.decode()
    assert len(_titles(second)) == 3 and 'rel="prev"' in second
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "驿站", "page": 2})
    for i in range(13, 30):
        make_story(f"驿站服务第{i + 1}期", image=False)
    with CaptureQueriesContext(connection) as many:
        client.get("/search/", {"q": "驿站", "page": 2})
    assert len(many) == len(few)


@pytest.mark.skipif(not is_enabled("canteen"), reason="canteen plugin not enabled")
def test_personal_data_is_never_searched(client, stories, community):
    """Canteens are public (name, address); their diners are not: a diner named like the
    writer is not found, her canteen is."""
    from canteen.models import Canteen, Diner

    canteen = Canteen.objects.create(name="柳树村晓岚助餐点", slug="liushu-xl", community=community,
                                     address="柳树村村委会一楼", hours="11:00–13:00", hotline="0571-1234")
    Diner.objects.create(name="王晓岚", phone="13900001111", community=community, address="柳树村5号")
    html = client.get("/search/", {"q": "晓岚"}).content.decode()
    assert "柳树村晓岚助餐点" in html and canteen.get_absolute_url() in html
    assert "王晓岚" not in html and "13900001111" not in html
