"""Pages for people: index with filters and pagination, story and brief pages with Open Graph,
JSON-LD and alt text on every image; feeds and the sitemap; previews."""

import json
import re

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_news_link_serves_the_index(client, news_index, make_story):
    make_story("首页新闻")
    assert news_index.url == "/news/"
    response = client.get("/news/")
    assert response.status_code == 200
    assert "首页新闻" in response.content.decode()


def test_index_filters_and_pagination(client, news_index, make_story, community):
    import datetime

    from news.models import Section

    party = Section.objects.create(name="党建引领", slug="party")
    news_index.page_size = 2
    news_index.save_revision().publish()
    make_story("甲故事", section=party, date=datetime.date(2026, 9, 1), image=False)
    make_story("乙故事", community=community, date=datetime.date(2026, 10, 1), image=False)
    make_story("丙故事", community=community, date=datetime.date(2026, 11, 1), image=False, tags=["敬老"])

    html = client.get("/news/").content.decode()
    assert "丙故事" in html and "乙故事" in html and "甲故事" not in html
    assert 'rel="next"' in html
    html = client.get("/news/", {"page": 2}).content.decode()
    assert "甲故事" in html and "丙故事" not in html
    html = client.get("/news/", {"section": "party"}).content.decode()
    assert "甲故事" in html and "乙故事" not in html
    html = client.get("/news/", {"community": community.code}).content.decode()
    assert "乙故事" in html and "甲故事" not in html
    html = client.get("/news/", {"month": "2026-10"}).content.decode()
    assert "乙故事" in html and "丙故事" not in html
    html = client.get("/news/", {"tag": "敬老"}).content.decode()
    assert "丙故事" in html and "乙故事" not in html
    response = client.get("/news/", {"month": "bad", "page": "x"})
    assert response.status_code == 200


def test_index_query_count_constant(client, news_index, make_story, author, django_assert_num_queries,
                                    django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(12):
        make_story(f"故事{i}", authors=[author], tags=["敬老", f"t{i}"])

    def count(size):
        with django_capture_on_commit_callbacks(execute=True):
            news_index.page_size = size
            news_index.save_revision().publish()
        client.get("/news/")
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/news/")
        assert response.content.decode().count('<li class="news-card') == size
        return len(ctx.captured_queries)

    assert count(3) == count(12)


def _imgs_have_alt(html):
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert imgs
    for img in imgs:
        assert re.search(r'\balt="[^"]+"', img), img
        assert re.search(r'\bwidth="\d+"', img) and re.search(r'\bheight="\d+"', img), img


def test_story_page(client, make_story, author, community):
    story = make_story("夜校开课", authors=[author], tags=["公益课堂"], community=community,
                       kicker="家门口的课堂", standfirst="六十名骑手报名夜校。", body_text="第一课讲手机安全。")
    other = make_story("相关故事", tags=["公益课堂"])
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "夜校开课" in html and "家门口的课堂" in html
    assert "周晓岚" in html and "第一课讲手机安全。" in html
    assert 'property="og:type" content="article"' in html
    assert 'property="og:image" content="http://testserver/media/' in html
    assert "相关故事" in html and other.url in html
    _imgs_have_alt(html)
    assert 'type="image/webp"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "夜校开课"
    assert ld["author"] == [{"@type": "Person", "name": "周晓岚"}]
    assert ld["image"][0].startswith("http://testserver/")
    assert ld["contentLocation"]["name"] == community.name


def test_brief_page(client, make_story):
    brief = make_story("3日，荷花社区举办包粽子活动", brief=True, standfirst="居民和志愿者一起包了三百个粽子。")
    html = client.get(brief.url).content.decode()
    assert "三百个粽子" in html
    assert "news-brief" in html
    _imgs_have_alt(html)


def test_drafts_and_private_pages_absent_from_pages_feeds_sitemap(client, make_story, news_index):
    from wagtail.models import PageViewRestriction

    make_story("公开稿件")
    draft = make_story("草稿稿件", publish=False)
    private = make_story("内部稿件")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for url in ("/news/", "/news/?q=稿件", "/news/feed/", "/news/feed/atom/",
                "/news/sections/community/feed/", "sitemap"):
        response = _sitemap() if url == "sitemap" else client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "草稿稿件" not in body and "内部稿件" not in body, url
        assert "/news/" + private.slug not in body and draft.slug not in body, url
    assert client.get(draft.url or f"/news/{draft.slug}/").status_code == 404
    assert client.get(private.url).status_code in (302, 403)


def test_feeds(client, make_story, author):
    from news.models import Section

    party = Section.objects.create(name="党建引领", slug="party")
    make_story("红色故事", section=party, authors=[author], tags=["党建"], standfirst="支部活动")
    make_story("社区故事一则")
    rss = client.get("/news/feed/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "红色故事" in body and "社区故事一则" in body and "<category>党建引领</category>" in body
    atom = client.get("/news/sections/party/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    body = atom.content.decode()
    assert "红色故事" in body and "社区故事一则" not in body and "周晓岚" in body
    assert client.get("/news/sections/nope/feed/").status_code == 404


def _sitemap():
    """Wagtail's sitemap view. (config/urls.py mounts Django's ``sitemap`` view at /sitemap.xml
    without its ``sitemaps`` argument, which raises TypeError; the fix is the lead's.)"""
    from django.test import RequestFactory
    from wagtail.contrib.sitemaps.views import sitemap

    response = sitemap(RequestFactory().get("/sitemap.xml"))
    response.render()
    return response


def test_sitemap_lists_stories(make_story):
    story = make_story("地图里的故事")
    body = _sitemap().content.decode()
    assert f"{story.url}</loc><lastmod>" in body


def test_wagtail_preview_shows_the_draft_not_the_cache(client, make_story):
    story = make_story("已发布的标题", standfirst="已发布的导语")
    assert "已发布的导语" in client.get(story.url).content.decode()  # now cached
    story.standfirst = "草稿里的新导语"
    response = story.make_preview_request(preview_mode="")
    html = response.content.decode()
    assert "草稿里的新导语" in html and "已发布的导语" not in html
    # ... and the preview did not replace the cached live page.
    assert "已发布的导语" in client.get(story.url).content.decode()


def test_cached_story_page_is_refreshed_on_publish(client, make_story, django_capture_on_commit_callbacks):
    story = make_story("会更新的稿件", standfirst="第一版")
    assert "第一版" in client.get(story.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        story.standfirst = "第二版"
        story.save_revision().publish()
    assert "第二版" in client.get(story.url).content.decode()


def test_headless_preview(client, make_story, settings):
    from news.models import NewsPreview

    settings.FENGCHAO_PREVIEW_URL = "https://app.example.com/preview"
    story = make_story("无头预览")
    assert "headless" in [m for m, _ in story.preview_modes]
    story.title = "改过的标题（草稿）"
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    response = story.serve_preview(request, "headless")
    assert response.status_code == 302
    assert response["Location"].startswith("https://app.example.com/preview?token=")
    token = NewsPreview.objects.get().token
    assert token in response["Location"]
    data = client.get(f"/api/v3/news/preview/{token}/").json()
    assert data["title"] == "改过的标题（草稿）"
    assert data["lead_image"]["renditions"]["card"]["width"] == 800
    assert client.get("/api/v3/news/preview/wrong/").status_code == 404
    # The live API still shows the published title.
    assert client.get(f"/api/v3/news/stories/{story.pk}/").json()["title"] == "无头预览"


def test_no_headless_mode_without_setting(make_story, settings):
    settings.FENGCHAO_PREVIEW_URL = ""
    assert [m for m, _ in make_story("普通").preview_modes] == [""]


def test_page_cache_for_anonymous_readers(make_story, news_index, django_capture_on_commit_callbacks):
    from django.test import Client

    from tests.factories import UserFactory

    story = make_story("缓存的稿件", standfirst="第一版")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    r1 = first.get(story.url)
    assert "X-Page-Cache" not in r1
    r2 = second.get(story.url)
    assert r2["X-Page-Cache"] == "hit"
    assert "第一版" in r2.content.decode()
    # The same bytes for every reader, with no cookie: the language switch needs no CSRF token
    # (a token of each reader's own made every answer unique, for the cache and a proxy alike).
    assert r2.content == r1.content
    assert "csrfmiddlewaretoken" not in r2.content.decode() and not second.cookies.get("csrftoken")
    assert "Set-Cookie" not in r2.headers
    response = second.post("/i18n/setlang/", {"language": "en", "next": story.url})
    assert response.status_code == 302
    # Publishing makes the cached page stale.
    with django_capture_on_commit_callbacks(execute=True):
        story.standfirst = "第二版"
        story.save_revision().publish()
    r3 = second.get(story.url)
    assert "X-Page-Cache" not in r3 and "第二版" in r3.content.decode()
    # Logged-in users (editors see the userbar) are never served from the cache.
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "X-Page-Cache" not in staff.get(story.url)
    assert "X-Page-Cache" not in staff.get(story.url)


def test_private_page_never_served_from_cache(client, make_story, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    story = make_story("后来设为私密")
    client.get(story.url)
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(story.url).status_code == 302


def test_password_protected_page_not_cached(client, make_story):
    from django.test import Client
    from wagtail.models import PageViewRestriction

    story = make_story("有密码的稿件")
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    response = client.post(f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/",
                           {"password": "secret", "return_url": story.url})
    assert response.status_code == 302
    assert "有密码的稿件" in client.get(story.url).content.decode()
    assert "有密码的稿件" in client.get(story.url).content.decode()
    stranger = Client()
    response = stranger.get(story.url)
    html = response.content.decode()
    # The stranger gets the password form, never the story from the cache.
    assert "X-Page-Cache" not in response
    assert 'name="password"' in html
    assert "<h1" not in html or "有密码的稿件" not in html.split("<h1", 1)[1][:200]


def test_headless_preview_through_the_admin(client, make_story, settings, section):
    from news.models import NewsPreview
    from tests.factories import UserFactory

    settings.FENGCHAO_PREVIEW_URL = "https://app.example.com/preview"
    story = make_story("后台预览", image=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/pages/{story.pk}/edit/preview/"
    data = {
        "title": "后台预览（草稿）", "slug": story.slug, "kicker": "", "standfirst": "", "date": "2026-11-20",
        "section": section.pk, "community": "", "lead_image": "", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "", "tags": "", "body-count": "0",
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0", "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.json()["is_valid"], response.content
    response = client.get(url, {"mode": "headless"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://app.example.com/preview?token=")
    token = NewsPreview.objects.get().token
    client.logout()
    assert client.get(f"/api/v3/news/preview/{token}/").json()["title"] == "后台预览（草稿）"
    # Wagtail's own preview mode renders the template with the draft.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(url, data)
    html = client.get(url, {"mode": ""}).content.decode()
    assert "后台预览（草稿）" in html


def test_cached_news_pages_show_the_offices_new_hotline(client, make_story, news_index,
                                                       django_capture_on_commit_callbacks):
    """The site header and footer are part of a cached page: changing the office's details
    must reach news readers at once, not after the cache lifetime."""
    from wagtail.models import Site

    from home.models import OfficeSettings

    site = Site.objects.get(is_default_site=True)
    office, _ = OfficeSettings.objects.update_or_create(site=site, defaults={"hotline": "0571-8650 1111"})
    story = make_story("热线变更")
    assert "0571-8650 1111" in client.get(story.url).content.decode()
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        office.hotline = "0571-8650 2222"
        office.save()
    page = client.get(story.url)
    assert "X-Page-Cache" not in page and "0571-8650 2222" in page.content.decode()
