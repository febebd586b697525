"""One visibility rule and one read path: whatever a reader uses (the index page, a story's related
stories, the feeds, the news API), drafts and restricted stories never appear; editors write and
moderators publish through the admin, each logged in as their role."""

import pytest
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import StoryPage
from tests.news.factories import (
    AuthorFactory,
    BriefPageFactory,
    BylineFactory,
    NewsIndexPageFactory,
    NewsPreviewFactory,
    SectionFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db


def test_drafts_and_restricted_stories_appear_nowhere_a_reader_looks(client):
    section = SectionFactory(name="敬老服务", slug="elderly")
    shown = StoryPageFactory(title="荷花社区长者食堂开张", section=section, tags=["敬老"])
    StoryPageFactory(title="尚未审核的稿件", section=section, tags=["敬老"], publish=False)
    private = StoryPageFactory(title="只给工作人员看的通报", section=section, tags=["敬老"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    elsewhere = StoryPageFactory(title="驿站添置新书", tags=["敬老"])

    listed = client.get("/api/v3/news/stories/").json()
    assert {item["title"] for item in listed["items"]} == {shown.title, elsewhere.title}
    assert client.get(f"/api/v3/news/stories/{private.pk}/").status_code == 404
    related = client.get(f"/api/v3/news/stories/{elsewhere.pk}/").json()["related"]
    assert [item["title"] for item in related] == [shown.title]
    for feed in ("/news/feed/", "/news/feed/atom/", "/news/sections/elderly/feed/"):
        body = client.get(feed).content.decode()
        assert shown.title in body and "尚未审核" not in body and "只给工作人员" not in body, feed
    index = client.get(NewsIndexPageFactory().url).content.decode()
    assert shown.title in index and "尚未审核" not in index and "只给工作人员" not in index
    story = client.get(elsewhere.url).content.decode()
    assert shown.title in story and "只给工作人员" not in story


def _story_form(section, title, action):
    return nested_form_data({
        "kicker": "暖心服务", "title": title, "slug": "hehua-meals", "standfirst": "社区志愿者每天为独居老人送餐。",
        "date": "2026-11-28", "section": section.pk, "community": "",
        "bylines": inline_formset([]), "lead_image": "", "lead_image_alt": "", "lead_image_caption": "",
        "lead_image_credit": "", "body": streamfield([("paragraph", rich_text("<p>每天中午十一点出发。</p>"))]),
        "tags": "敬老, 送餐", action: action,
    })


@pytest.mark.filterwarnings("ignore:get_connection:django.utils.deprecation.RemovedInDjango2028Warning")
def test_an_editor_writes_a_story_and_only_a_moderator_publishes_it(editor_client, moderator_client, client,
                                                                   django_capture_on_commit_callbacks):
    index = NewsIndexPageFactory()
    section = SectionFactory()
    added = editor_client.post(f"/admin/pages/add/news/storypage/{index.pk}/",
                               _story_form(section, "荷花社区送餐到家", "action-publish"))
    assert added.status_code == 302, added.content.decode()[:2000]
    story = StoryPage.objects.get(slug="hehua-meals")
    assert not story.live  # an editor's "publish" is not theirs to give
    assert client.get("/api/v3/news/stories/").json()["count"] == 0

    # The listing above is cached; the publish's commit (run here) is what makes it stale.
    with django_capture_on_commit_callbacks(execute=True):
        published = moderator_client.post(f"/admin/pages/{story.pk}/edit/",
                                          _story_form(section, "荷花社区送餐到家", "action-publish"))
    assert published.status_code == 302, published.content.decode()[:2000]
    listed = client.get("/api/v3/news/stories/").json()
    assert [item["title"] for item in listed["items"]] == ["荷花社区送餐到家"]
    assert [t["name"] for t in listed["items"][0]["tags"]] == ["敬老", "送餐"]


def test_factories_make_what_the_newsroom_would(client):
    index = NewsIndexPageFactory()
    assert NewsIndexPageFactory().pk == index.pk
    reporter = AuthorFactory(name="周晓岚")
    story = StoryPageFactory(authors=[reporter], tags=["党建"], body_text="街道党工委召开会议。")
    assert story.live and story.get_parent().pk == index.pk and story.byline_names == ["周晓岚"]
    byline = BylineFactory(page=story, author=AuthorFactory(name="李摄影"))
    assert StoryPage.objects.get(pk=story.pk).byline_names == ["周晓岚", "李摄影"] and byline.role == "photographer"
    brief = BriefPageFactory()
    assert brief.kind == "brief" and brief.live
    preview = NewsPreviewFactory()
    body = client.get(f"/api/v3/news/preview/{preview.token}/").json()
    assert body["title"] == preview.as_page().title
