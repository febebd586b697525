"""What readers, editors and front ends ran into after the first release: odd filter values,
feeds for sections without a description, stale cached pages, related-story query counts."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_month_with_year_zero_is_refused_not_a_server_error(client, make_story):
    make_story("十一月的故事")
    response = client.get("/news/", {"month": "0000-05"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "十一月的故事" in html
    assert 'class="error"' in html
    assert client.get("/api/v3/news/stories/", {"month": "0000-05"}).status_code == 422


def test_atom_feed_of_a_section_without_description_has_a_readable_subtitle(client, make_story):
    from news.models import Section

    Section.objects.create(name="图片快讯", slug="briefs")
    make_story("快讯一则", section=Section.objects.get(slug="briefs"))
    body = client.get("/news/sections/briefs/feed/atom/").content.decode()
    assert "function SectionFeed" not in body
    assert "<subtitle>街道办事处及各社区的新闻与图片快讯</subtitle>" in body
    rss = client.get("/news/sections/briefs/feed/").content.decode()
    assert "<description>街道办事处及各社区的新闻与图片快讯</description>" in rss


def test_story_page_queries_do_not_grow_with_related_stories(client, make_story, author, community,
                                                             django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    main = make_story("主稿", tags=["敬老"], authors=[author], community=community)

    def count(related):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(main.url).content.decode()
        assert html.count('<li class="news-card') == related
        return len(ctx.captured_queries)

    make_story("相关一", tags=["敬老"], authors=[author], community=community)
    client.get(main.url)  # warm-up: renditions created, site root paths cached
    one = count(1)
    with django_capture_on_commit_callbacks(execute=True):  # new stories: the page is stale
        for i in range(3):
            make_story(f"相关{i}", tags=["敬老"], authors=[author], community=community)
    client.get(main.url)  # warm-up again: the new stories' renditions
    assert count(4) == one


def test_moved_story_is_not_served_from_the_cache_at_its_old_address(client, make_story, news_index,
                                                                    django_capture_on_commit_callbacks):
    from news.models import NewsIndexPage

    archive = news_index.get_parent().add_child(instance=NewsIndexPage(title="旧闻", slug="archive"))
    archive.save_revision().publish()
    story = make_story("搬走的稿件")
    old_url = story.url
    client.get(old_url)
    assert client.get(old_url)["X-Page-Cache"] == "hit"
    client.get("/news/")

    with django_capture_on_commit_callbacks(execute=True):
        story.move(archive, pos="last-child")

    story.refresh_from_db()
    response = client.get(old_url)
    # Wagtail's automatic redirect to the new address, not the cached page.
    assert response.status_code == 301 and response["Location"] == story.url
    assert "搬走的稿件" not in client.get("/news/").content.decode()
    assert client.get(story.url).status_code == 200


@pytest.mark.parametrize("slug", ["feed", "sections"])
def test_story_slug_taken_by_the_feeds_is_refused_in_the_admin(client, news_index, section, slug):
    """/news/feed/ and /news/sections/... are the feeds: a story there could never be read."""
    from news.models import StoryPage
    from tests.factories import staff_user

    client.force_login(staff_user("Moderators"))
    data = {
        "title": "订阅", "slug": slug, "kicker": "", "standfirst": "", "date": "2026-11-20",
        "section": section.pk, "community": "", "lead_image": "", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "", "tags": "", "body-count": "0",
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0", "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }
    response = client.post(f"/admin/pages/add/news/storypage/{news_index.pk}/", data)
    assert response.status_code == 200
    assert "该网址已被新闻订阅占用" in response.content.decode()
    assert not StoryPage.objects.filter(slug=slug).exists()


def test_migrate_keeps_what_an_admin_changed_in_the_newsroom_setup(news_index):
    """ensure_newsroom runs after every migrate (each deploy): it set up the newsroom, but also
    deleted any page permission an admin later gave Editors and put back its own workflow."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from news.services import ensure_newsroom

    editors = Group.objects.get(name="Editors")
    home = news_index.get_parent()
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.create(group=editors, page=home, permission=change)
    two_step = Workflow.objects.create(name="两级审核", active=True)
    task = GroupApprovalTask.objects.create(name="主任审核", active=True)
    task.groups.set([Group.objects.get(name="Moderators")])
    WorkflowTask.objects.create(workflow=two_step, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=news_index, defaults={"workflow": two_step})
    # Wagtail's initial data: Editors may edit the whole tree; that one goes.
    GroupPagePermission.objects.create(group=editors, page=Page.get_first_root_node(), permission=change)

    ensure_newsroom()

    assert GroupPagePermission.objects.filter(group=editors, page=home).exists()
    assert not GroupPagePermission.objects.filter(group=editors, page__depth=1).exists()
    assert news_index.get_workflow() == two_step


def test_dates_follow_the_reader_language(client, make_story):
    import datetime

    from django.conf import settings

    story = make_story("日期", date=datetime.date(2026, 11, 3), tags=["敬老"])
    make_story("相关", date=datetime.date(2026, 11, 2), tags=["敬老"])
    html = client.get("/news/").content.decode()
    assert "2026年11月3日" in html and ">2026年11月</option>" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/news/").content.decode()
    assert "2026年11月" not in html
    assert "3 November 2026" in html and ">November 2026</option>" in html
    html = client.get(story.url).content.decode()
    assert "3 November 2026" in html and "2 November 2026" in html
    assert "2026年11月" not in html


def test_renamed_section_and_community_are_found(client, make_story, section, community):
    """Stories index their section's and community's names (news/search.py), like byline names:
    after a rename, a reader searching the new name must find them."""
    story = make_story("周末义诊", community=community, image=False)
    other = make_story("别的稿件", image=False)
    section.name = "邻里守望"
    section.save()
    community.name = "芙蓉社区"
    community.save()

    def found(word):
        return {item["id"] for item in client.get("/api/v3/news/stories/", {"search": word}).json()["items"]}

    assert found("邻里守望") == {story.pk, other.pk}
    assert found("芙蓉社区") == {story.pk}


@pytest.fixture
def forget_word():
    """Make jieba forget a word, as in an app server process that never indexed a story (names
    are taught to the segmenter while indexing, so only that process knew them)."""
    import jieba

    from core import search

    forgotten = []

    def forget(word):
        search._tokenizer()
        jieba.del_word(word)
        forgotten.append(word)

    yield forget
    for word in forgotten:
        search.add_words(word)


def test_byline_name_is_found_by_a_process_that_did_not_index_the_story(client, make_story, forget_word):
    from news.models import Author

    writer = Author.objects.create(name="欧阳明月")
    story = make_story("社区新闻", body_text="居民们聚在一起。", authors=[writer], image=False)
    make_story("另一则", body_text="别的内容。", image=False)
    forget_word("欧阳明月")

    items = client.get("/api/v3/news/stories/", {"search": "欧阳明月"}).json()["items"]
    assert [item["id"] for item in items] == [story.pk]
    html = client.get("/news/", {"q": "欧阳明月"}).content.decode()
    assert "社区新闻" in html and "另一则" not in html


def test_a_name_in_the_body_is_found_whichever_process_indexed_the_story(client, make_story, forget_word):
    from news.models import Author

    Author.objects.create(name="欧阳明月")
    forget_word("欧阳明月")  # the process that publishes never saw this author's stories
    story = make_story("社区新闻", body_text="通讯员欧阳明月走访了独居老人。", image=False)

    items = client.get("/api/v3/news/stories/", {"search": "欧阳明月"}).json()["items"]
    assert [item["id"] for item in items] == [story.pk]


def test_link_to_a_private_page_is_not_shown(client, make_story):
    """A story links to a class or a canteen through a page_link block; once that page is private
    (or unpublished), readers and the API must not get its title and address."""
    from wagtail.models import PageViewRestriction

    internal = make_story("内部通知：值班表", image=False)
    public = make_story("公开活动", image=False)
    story = make_story("有链接的稿件", image=False)
    story.body = [
        ("page_link", {"page": internal, "label": "", "description": ""}),
        ("page_link", {"page": public, "label": "", "description": ""}),
    ]
    story.save_revision().publish()
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)

    body = client.get(f"/api/v3/news/stories/{story.pk}/").json()["body"]
    assert [block["value"] and block["value"]["title"] for block in body] == [None, "公开活动"]
    html = client.get(story.url).content.decode()
    assert "值班表" not in html and "公开活动" in html


def test_api_answers_in_each_reader_language_despite_the_cache(client, make_story, author):
    story = make_story("双语", authors=[author])

    def role_label(language):
        items = client.get("/api/v3/news/stories/", HTTP_ACCEPT_LANGUAGE=language).json()["items"]
        detail = client.get(f"/api/v3/news/stories/{story.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
        return items[0]["bylines"][0]["role_label"], detail["bylines"][0]["role_label"]

    assert role_label("en") == ("Reporter", "Reporter")
    assert role_label("zh-hans") == ("记者", "记者")


def test_an_image_whose_file_is_lost_does_not_take_news_down(client, make_story):
    """A restore that missed a file, a storage fault: Wagtail's own image tag and API show the
    rest of the page; so must ours (it was a 500 on the index, the story and the API)."""
    broken = make_story("原图丢了")
    make_story("图片完好")
    broken.lead_image.file.storage.delete(broken.lead_image.file.name)

    html = client.get("/news/").content.decode()
    assert "原图丢了" in html and "图片完好" in html
    response = client.get(broken.url)
    assert response.status_code == 200 and "原图丢了" in response.content.decode()
    items = client.get("/api/v3/news/stories/").json()["items"]
    assert {item["title"]: item["lead_image"] is None for item in items} == {"原图丢了": True, "图片完好": False}
    assert client.get(f"/api/v3/news/stories/{broken.pk}/").json()["lead_image"] is None
    assert client.get(f"/api/v3/pages/{broken.pk}/").json()["lead_image_data"] is None


def test_story_page_queries_do_not_grow_with_bylines(client, make_story):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news.models import Author

    authors = [Author.objects.create(name=f"作者{i}") for i in range(4)]
    one = make_story("一位作者", authors=authors[:1], image=False)
    four = make_story("四位作者", authors=authors, image=False)

    def count(story, path=None):
        client.get(path or story.url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path or story.url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert count(four) == count(one)
    assert "作者3" in client.get(four.url).content.decode()
    assert count(four, f"/api/v3/pages/{four.pk}/") == count(one, f"/api/v3/pages/{one.pk}/")


def test_share_image_address_follows_the_reader_scheme(client, make_story):
    """Behind HTTPS a shared link's preview image must be https (the meta fragment was cached
    per host only, so the first reader's scheme stuck)."""
    import re

    story = make_story("分享")
    client.get(story.url)
    html = client.get(story.url, secure=True).content.decode()
    assert re.search(r'<meta property="og:image" content="https://testserver/', html)


def test_api_error_messages_are_translated(client, settings):
    settings.WAGTAILAPI_LIMIT_MAX = 50
    response = client.get("/api/v3/news/stories/", {"limit": 51})
    assert response.status_code == 400
    assert "每页最多 50 条" in response.content.decode()
    response = client.get("/api/v3/news/stories/", {"section": "a\x01b"})
    assert response.status_code == 422
    assert "不能包含控制字符" in response.content.decode()
