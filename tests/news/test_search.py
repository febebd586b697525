"""Chinese search: segmentation makes words inside sentences findable, on SQLite and PostgreSQL,
through the page, our API and Wagtail's pages API."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

LIST = "/api/v3/news/stories/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def stories(make_story, author):
    from news.models import Author

    other = Author.objects.create(name="欧阳明月")
    gig = make_story("新驿站开门迎客", body_text="青石街道的零工驿站今天正式启用，骑手可以在这里歇脚、找活。",
                     authors=[author], image=False)
    canteen = make_story("社区食堂推出老年套餐", body_text="荷花社区食堂为八十岁以上老人提供优惠午餐。",
                         authors=[other], image=False)
    rest = make_story("爱心驿站夏季送清凉", standfirst="驿站备好了绿豆汤。", authors=[other], image=False)
    draft = make_story("零工驿站草稿", body_text="零工驿站还没发布的稿子。", publish=False, image=False)
    return {"gig": gig, "canteen": canteen, "rest": rest, "draft": draft}


def test_wagtail_backend_alone_misses_words_inside_sentences(stories):
    """The reason for core/search_backend.py: Wagtail's own database backend sees one long
    'word' per Chinese phrase; ours (the configured default) finds the words inside."""
    from wagtail.search.backends import get_search_backend

    from news.models import Section

    section = Section.objects.create(name="零工驿站服务专栏", slug="gig-column")
    plain = get_search_backend("modelsearch.backends.database")
    plain.add(section)  # re-indexed as Wagtail alone would
    assert list(plain.search("零工", Section.objects.all())) == []
    assert [s.slug for s in plain.search("零工驿站服务专栏", Section.objects.all())] == ["gig-column"]
    backend = get_search_backend()
    backend.add(section)
    assert [s.slug for s in backend.search("零工", Section.objects.all())] == ["gig-column"]
    assert [s.slug for s in backend.search("服务", Section.objects.all())] == ["gig-column"]


def test_segmented_search_finds_words(stories):
    from news.models import StoryPage
    from news.search import search_ids

    live = StoryPage.objects.live()
    assert search_ids(live, "零工") == [stories["gig"].pk]
    assert set(search_ids(live, "驿站")) == {stories["gig"].pk, stories["rest"].pk}
    assert search_ids(live, "零工驿站") == [stories["gig"].pk]
    assert search_ids(live, "老年 套餐") == [stories["canteen"].pk]
    assert search_ids(live, "食堂") == [stories["canteen"].pk]
    assert search_ids(live, "不存在的词语") == []


def test_byline_name_finds_author_stories(stories):
    from news.models import StoryPage
    from news.search import search_ids

    live = StoryPage.objects.live()
    assert set(search_ids(live, "欧阳明月")) == {stories["canteen"].pk, stories["rest"].pk}
    assert search_ids(live, "周晓岚") == [stories["gig"].pk]


def test_search_through_api(client, stories):
    def ids(q):
        response = client.get(LIST, {"search": q})
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert ids("零工") == [stories["gig"].pk]
    assert sorted(ids("驿站")) == sorted([stories["gig"].pk, stories["rest"].pk])
    assert ids("周晓岚") == [stories["gig"].pk]
    assert stories["draft"].pk not in ids("草稿") + ids("零工驿站")


def test_ranking_prefers_more_matches(client, stories):
    # 驿站 appears in the headline, standfirst and tokens of "rest"; once in "gig"'s body.
    response = client.get(LIST, {"search": "爱心驿站"})
    assert response.json()["items"][0]["id"] == stories["rest"].pk


def test_search_through_wagtail_pages_api(client, stories):
    """Wagtail's /api/v3/pages/?search= passes the query unsegmented, but the indexed tokens
    make single words findable there too."""
    response = client.get("/api/v3/pages/", {"type": "news.StoryPage", "search": "零工"})
    assert response.status_code == 200, response.content
    assert [p["id"] for p in response.json()["items"]] == [stories["gig"].pk]


def test_search_through_the_page(client, stories, news_index):
    response = client.get(news_index.url, {"q": "驿站"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "新驿站开门迎客" in html and "爱心驿站夏季送清凉" in html
    assert "社区食堂推出老年套餐" not in html
    assert "零工驿站草稿" not in html


def test_renamed_author_is_found(stories, author):
    from news.models import StoryPage
    from news.search import search_ids

    author.name = "诸葛青青"
    author.save()
    assert search_ids(StoryPage.objects.live(), "诸葛青青") == [stories["gig"].pk]
