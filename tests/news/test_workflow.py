"""Editorial workflow: editors are limited to the newsroom and submit; moderators approve;
scheduled publishing goes live through Wagtail's publish_scheduled (wrapped in a task)."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    from tests.factories import staff_user

    return staff_user("Editors")


@pytest.fixture
def moderator(db):
    from tests.factories import staff_user

    return staff_user("Moderators")


def test_editors_limited_to_news(editor, news_index, make_story):
    home = news_index.get_parent()
    story = make_story("编辑能改的稿件")
    assert news_index.permissions_for_user(editor).can_add_subpage()
    assert story.permissions_for_user(editor).can_edit()
    assert not story.permissions_for_user(editor).can_publish()
    assert not home.permissions_for_user(editor).can_edit()
    assert not home.permissions_for_user(editor).can_add_subpage()


def test_moderators_moderate_the_newsroom_only(moderator, news_index, make_story):
    """Wagtail's initial data grants Moderators the whole page tree; they publish stories, not
    the home page or anything outside the newsroom."""
    from wagtail.models import GroupPagePermission, Page

    home = news_index.get_parent()
    story = make_story("待审核的稿件")
    assert story.permissions_for_user(moderator).can_publish()
    assert news_index.permissions_for_user(moderator).can_add_subpage()
    assert not home.permissions_for_user(moderator).can_edit()
    assert not home.permissions_for_user(moderator).can_publish()
    assert not home.permissions_for_user(moderator).can_add_subpage()
    root = Page.get_first_root_node()
    assert not GroupPagePermission.objects.filter(group__name="Moderators", page=root).exists()


# Wagtail 8 e-mails moderators through django.core.mail.get_connection(), which Django 6.1
# deprecates; harmless at run time, an error under this suite's warnings-as-errors.
@pytest.mark.filterwarnings("ignore:get_connection:django.utils.deprecation.RemovedInDjango2028Warning")
def test_submit_and_approve(editor, moderator, news_index, make_story):
    from news.models import StoryPage

    story = make_story("待审稿件", publish=False)
    story.title = "待审稿件（修改）"
    story.save_revision(user=editor)
    workflow = story.get_workflow()
    assert workflow.name == "新闻审核"
    state = workflow.start(story, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(story, moderator)
    assert "approve" in [action[0] for action in task.get_actions(story, moderator)]
    assert task.get_actions(story, editor) == []
    assert not StoryPage.objects.get(pk=story.pk).live

    task.on_action(task_state, moderator, "approve")
    story = StoryPage.objects.get(pk=story.pk)
    assert story.live
    assert story.title == "待审稿件（修改）"


def test_editor_submits_through_admin(client, editor, news_index, section):
    """An editor creates a story in the admin and submits it; it is not live until approved."""
    from news.models import StoryPage

    client.force_login(editor)
    url = f"/admin/pages/add/news/storypage/{news_index.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "title": "编辑投稿", "slug": "editor-story", "kicker": "", "standfirst": "", "date": "2026-11-20",
        "section": section.pk, "community": "", "lead_image": "", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "", "tags": "",
        "body-count": "0",
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0", "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-submit": "submit",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = StoryPage.objects.get(slug="editor-story")
    assert not story.live
    assert story.workflow_in_progress
    # Publishing directly is refused to editors.
    data["action-publish"] = "publish"
    data.pop("action-submit")
    client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert not StoryPage.objects.get(pk=story.pk).live


def test_scheduled_publishing(make_story, moderator):
    from news.models import StoryPage
    from news.tasks import publish_scheduled

    story = make_story("定时发布", publish=False)
    story.go_live_at = timezone.now() + timedelta(hours=1)
    revision = story.save_revision(user=moderator)
    revision.publish(user=moderator)
    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    publish_scheduled.enqueue()
    assert not StoryPage.objects.get(pk=story.pk).live

    import time_machine

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        publish_scheduled.enqueue()
    assert StoryPage.objects.get(pk=story.pk).live
