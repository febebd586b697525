import pytest

from news import queries
from news.models import BriefPage, NewsIndexPage, StoryPage

pytestmark = pytest.mark.django_db


def test_newsroom_set_up_after_migrate():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, WorkflowPage

    from home.models import HomePage

    index = NewsIndexPage.objects.get()
    assert index.get_parent().specific_class is HomePage
    assert index.live
    editors = Group.objects.get(name="Editors")
    # Editors only hold page permissions on the newsroom.
    assert set(GroupPagePermission.objects.filter(group=editors).values_list("page_id", flat=True)) == {index.pk}
    workflow = WorkflowPage.objects.get(page=index).workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_story_and_brief(make_story, author):
    story = make_story("零工驿站开门迎客", body_text="新的零工驿站今天启用。", tags=["零工", "就业"], authors=[author])
    brief = make_story("荷花社区举办端午活动", brief=True, standfirst="3日，荷花社区举办包粽子活动。")
    assert StoryPage.objects.live().count() == 2
    assert BriefPage.objects.get().pk == brief.pk
    assert story.kind == "story"
    assert StoryPage.objects.get(pk=brief.pk).kind == "brief"
    assert story.byline_names == ["周晓岚"]


def test_related_by_shared_tags(make_story):
    a = make_story("甲", tags=["敬老", "食堂"], image=False)
    b = make_story("乙", tags=["敬老", "食堂"], image=False)
    c = make_story("丙", tags=["敬老"], image=False)
    make_story("丁", tags=["党建"], image=False)
    make_story("草稿", tags=["敬老", "食堂"], image=False, publish=False)
    assert [s.pk for s in queries.related_stories(a)] == [b.pk, c.pk]


def test_admin_edit_forms_have_bylines(client, make_story, author):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for brief in (False, True):
        page = make_story("编辑表单", brief=brief, authors=[author])
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        assert b"bylines-TOTAL_FORMS" in response.content
        assert b"tags" in response.content


def test_snippet_admin(client, author, section):
    from tests.factories import staff_user

    editor = staff_user("Editors")
    client.force_login(editor)
    response = client.get("/admin/snippets/news/author/")
    assert response.status_code == 200 and "周晓岚" in response.content.decode()
    assert client.get("/admin/snippets/news/author/add/").status_code == 200
    # Sections are the moderators' to change; editors only see them.
    client.post(f"/admin/snippets/news/section/edit/{section.pk}/",
                {"name": "改名", "slug": section.slug, "description": "", "sort_order": 0})
    section.refresh_from_db()
    assert section.name == "社区故事"
    moderator = staff_user("Moderators")
    client.force_login(moderator)
    assert client.get("/admin/snippets/news/section/add/").status_code == 200
