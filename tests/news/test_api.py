import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

LIST = "/api/v3/news/stories/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _stories(make_story, author, n, prefix="故事"):
    from news.models import Author

    photographer = Author.objects.create(name="陈立", default_role="photographer")
    return [
        make_story(f"{prefix}{i}", body_text="内容", tags=["敬老", f"标签{i}"],
                   authors=[author, photographer])
        for i in range(n)
    ]


def test_listing_shape(client, make_story, author, community):
    story = make_story("零工驿站开门", body_text="正文", tags=["就业"], authors=[author],
                       kicker="暖心服务", standfirst="骑手有了歇脚处。", community=community)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == story.pk
    assert item["type"] == "story"
    assert item["kicker"] == "暖心服务"
    assert item["section"] == {"id": story.section.pk, "name": "社区故事", "slug": "community"}
    assert item["community"]["code"] == community.code
    assert item["tags"] == [{"name": "就业", "slug": "就业"}]
    assert item["bylines"][0]["author"]["name"] == "周晓岚"
    assert item["bylines"][0]["role"] == "reporter"
    assert item["url"].startswith("http://testserver/")
    image = item["lead_image"]
    assert image["alt"] == "零工驿站开门的现场照片"
    assert image["credit"] == "街道融媒体中心"
    for name in ("thumbnail", "card", "full", "thumbnail_webp", "card_webp", "full_webp"):
        rendition = image["renditions"][name]
        assert rendition["url"].startswith("http://testserver/")
        assert rendition["width"] > 0 and rendition["height"] > 0
    assert image["renditions"]["card"]["width"] == 800
    assert image["renditions"]["card_webp"]["format"] == "webp"
    assert image["renditions"]["card_webp"]["url"].endswith(".webp")


def _count_queries(client, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.cache import forget_versions

    cache.clear()
    forget_versions()  # a cold process: the versions are read too
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(response.json()["items"]), [q["sql"] for q in ctx.captured_queries]


def test_listing_query_count_constant(client, make_story, author):
    """Version, view restrictions, count, page (with section, community, image), bylines with
    authors, tags, renditions: the same number of queries for 5 and for 20 stories."""
    _stories(make_story, author, 20)
    client.get(LIST, {"limit": 20})  # warm-up: renditions are generated once
    n5, q5 = _count_queries(client, {"limit": 5})
    n20, q20 = _count_queries(client, {"limit": 20})
    assert (n5, n20) == (5, 20)
    assert len(q5) == len(q20) == EXPECTED_LIST_QUERIES, "\n".join(q20)
    # Filters and search add no per-item queries either.
    _count_queries(client, {"limit": 1, "search": "故事"})  # warm-up: the backend's one-time lookups
    n5, f5 = _count_queries(client, {"limit": 5, "tag": "敬老", "search": "故事"})
    n20, f20 = _count_queries(client, {"limit": 20, "tag": "敬老", "search": "故事"})
    assert (n5, n20) == (5, 20)
    assert len(f5) == len(f20)


# + two site lookups (Wagtail caches them; our cache.clear() drops that too).
EXPECTED_LIST_QUERIES = 9


def test_cached_listing_costs_no_query(client, make_story, author, django_assert_num_queries):
    _stories(make_story, author, 3)
    client.get(LIST)
    with django_assert_num_queries(0):
        response = client.get(LIST)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit" and response.json()["count"] == 3


def test_publishing_invalidates_cache(client, make_story, django_capture_on_commit_callbacks):
    make_story("第一篇")
    assert client.get(LIST).json()["count"] == 1
    story = client.get(f"{LIST}{client.get(LIST).json()['items'][0]['id']}/")
    assert story.json()["title"] == "第一篇"
    with django_capture_on_commit_callbacks(execute=True):
        make_story("第二篇")
    assert client.get(LIST).json()["count"] == 2


def test_drafts_and_private_pages_never_appear(client, make_story, news_index):
    from wagtail.models import PageViewRestriction

    from tests.factories import UserFactory

    public = make_story("公开")
    draft = make_story("草稿", publish=False)
    private = make_story("私密")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    # A published page with unpublished changes shows the published version only.
    public.title = "改了但没发布"
    public.save_revision()

    items = client.get(LIST).json()["items"]
    assert [i["id"] for i in items] == [public.pk]
    assert items[0]["title"] == "公开"
    assert client.get(f"{LIST}{draft.pk}/").status_code == 404
    assert client.get(f"{LIST}{private.pk}/").status_code == 404
    assert client.get(LIST, {"search": "草稿"}).json()["count"] == 0
    # Logged in as a staff member, still only live public pages.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert [i["id"] for i in client.get(LIST).json()["items"]] == [public.pk]
    assert client.get(f"{LIST}{draft.pk}/").status_code == 404
    # Wagtail's own pages API, anonymous.
    client.logout()
    ids = [p["id"] for p in client.get("/api/v3/pages/", {"type": "news.StoryPage"}).json()["items"]]
    assert ids == [public.pk]


def test_filters(client, make_story, community, author):
    import datetime

    from news.models import Author, Section

    party = Section.objects.create(name="党建引领", slug="party")
    photographer = Author.objects.create(name="陈立", default_role="photographer")
    a = make_story("党建故事", section=party, tags=["党建"], date=datetime.date(2026, 10, 3), image=False,
                   authors=[author])
    b = make_story("社区故事", community=community, tags=["敬老"], date=datetime.date(2026, 11, 5), image=False,
                   authors=[author, photographer])
    c = make_story("简讯", brief=True, community=community, date=datetime.date(2026, 11, 6), image=False)

    def ids(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert ids() == [c.pk, b.pk, a.pk]
    assert ids(section="party") == [a.pk]
    assert ids(tag=b.tags.get().slug) == [b.pk]
    assert ids(community=community.code) == [c.pk, b.pk]
    assert ids(month="2026-10") == [a.pk]
    assert ids(month="2026-11", kind="brief") == [c.pk]
    assert ids(kind="story") == [b.pk, a.pk]
    # Two bylines on one story still list it once.
    assert ids(author=author.pk) == [b.pk, a.pk]
    assert ids(author=photographer.pk) == [b.pk]
    assert client.get(LIST, {"author": author.pk}).json()["count"] == 2
    assert client.get(LIST, {"month": "2026-13"}).status_code == 422
    assert client.get(LIST, {"month": "yesterday"}).status_code == 422
    assert client.get(LIST, {"limit": 1000}).status_code == 400


def test_detail_every_field(client, make_story, author, news_index):
    from tests.news.conftest import make_image

    other = make_story("课堂报名", image=False)
    inline = make_image("正文插图", description="志愿者在教老人用手机")
    story = make_story("暖新问需会", authors=[author], tags=["问需"], standfirst="听骑手说需求。")
    story.body = [
        ("paragraph", f'<p>详见<a linktype="page" id="{other.pk}">课堂</a>。</p>'
                      f'<embed embedtype="image" id="{inline.pk}" format="fullwidth" alt="插图"/>'),
        ("image", {"image": inline, "alt": "", "caption": "手机课堂", "credit": "陈立"}),
        ("pull_quote", {"quote": "有地方歇脚了。", "speaker": "王师傅", "speaker_role": "外卖骑手"}),
        ("gallery", {"title": "现场", "images": [
            {"image": inline, "alt": "一", "caption": "", "credit": ""},
            {"image": inline, "alt": "二", "caption": "", "credit": ""}]}),
        ("key_figures", {"title": "数字", "figures": [{"value": "100+", "label": "志愿者"},
                                                       {"value": "60", "label": "条需求"}]}),
        ("page_link", {"page": other, "label": "去报名", "description": ""}),
    ]
    story.save_revision().publish()
    response = client.get(f"{LIST}{story.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    body = {block["type"]: block["value"] for block in data["body"]}
    assert f'href="http://testserver{other.url}"' in body["paragraph"]
    assert 'src="http://testserver/media/' in body["paragraph"]
    assert "linktype" not in body["paragraph"]
    assert body["image"]["alt"] == "志愿者在教老人用手机"
    assert body["image"]["credit"] == "陈立"
    assert body["image"]["renditions"]["full_webp"]["url"].startswith("http://testserver/")
    assert body["pull_quote"]["speaker"] == "王师傅"
    assert [i["alt"] for i in body["gallery"]["images"]] == ["一", "二"]
    assert body["key_figures"]["figures"][0] == {"value": "100+", "label": "志愿者"}
    assert body["page_link"]["url"] == f"http://testserver{other.url}"
    assert data["standfirst"] == "听骑手说需求。"
    assert data["bylines"][0]["author"]["affiliation"] == "青石街道融媒体中心"
    assert data["last_published_at"]


def test_wagtail_pages_api_fields(client, make_story, author):
    story = make_story("页面接口", authors=[author], tags=["敬老"], body_text="正文")
    response = client.get(f"/api/v3/pages/{story.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kicker"] == ""
    assert data["section_data"]["slug"] == "community"
    assert data["byline_data"][0]["author"]["name"] == "周晓岚"
    assert data["lead_image_data"]["renditions"]["card"]["width"] == 800
    assert data["tags"] == ["敬老"]
    assert data["body"][0]["type"] == "paragraph"
    assert data["body"][0]["value"] == "<p>正文</p>"


@pytest.mark.parametrize("params", [
    {"section": "a\x00b"}, {"tag": "\x00"}, {"search": "驿\x00站"}, {"search": "x" * 300},
    {"month": "%ZZ"}, {"kind": "poem"}, {"author": "abc"}, {"offset": -1}, {"limit": 0},
])
def test_bad_input_is_4xx(client, params):
    assert 400 <= client.get(LIST, params).status_code < 500


def test_bad_page_params_are_ignored(client, news_index):
    response = client.get("/news/", {"section": "a\x00b", "q": "驿\x00站", "month": "x", "page": "-3"})
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    LIST + "?section=" + "x" * 300, LIST + "?author=-99999999999999999999",
    LIST + "?offset=99999999999999999999", LIST + "99999999999999999999/", LIST + "-1/",
    "/api/v3/news/authors/99999999999999999999/",
])
def test_extreme_values_are_4xx(client, url):
    assert 400 <= client.get(url).status_code < 500


def test_snippet_api_validates_sections_like_the_admin_and_news_survives_a_bad_row(client, news_index):
    """POST /api/v3/snippets/news.Section/ ignored its body and saved a nameless, slugless
    section; /news/ then answered 500 until it was deleted."""
    from django.test import Client
    from wagtail.models import APIToken

    from news.models import Section
    from tests.factories import UserFactory

    _, token = APIToken.create_token(user=UserFactory(is_superuser=True, is_staff=True), name="editor tool")
    api = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    before = Section.objects.count()
    empty = api.post("/api/v3/snippets/news.Section/", {}, content_type="application/json")
    assert empty.status_code == 422 and Section.objects.count() == before
    made = api.post("/api/v3/snippets/news.Section/", {"name": "平安建设", "slug": "pingan"},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    assert Section.objects.filter(name="平安建设", slug="pingan").exists()
    bad = api.patch(f"/api/v3/snippets/news.Section/{made.json()['id']}/", {"slug": "not a slug!"},
                    content_type="application/json")
    assert bad.status_code == 422
    Section.objects.create(name="导入的坏数据", slug="")  # as a bad import would leave it
    page = client.get("/news/")
    assert page.status_code == 200 and "平安建设" in page.content.decode()
