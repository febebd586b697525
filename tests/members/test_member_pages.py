"""The plain-HTML account pages: a member without the app edits, downloads and deletes their data."""

import json

from django.urls import reverse

from members.models import User
from tests.factories import CommunityFactory, UserFactory


def test_profile_page_saves_name_and_community(member_client, member):
    community = CommunityFactory(name="青石社区")
    response = member_client.post(reverse("members:profile"), {
        "display_name": "骑手小周", "kind": "worker", "community": community.pk}, follow=True)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.display_name == "骑手小周" and member.community == community
    assert "骑手小周" in response.content.decode()
    assert len(response.context["messages"]) == 1


def test_profile_page_refuses_bad_input_and_changes_nothing(member_client, member):
    before = (member.display_name, member.kind, member.community_id)
    response = member_client.post(reverse("members:profile"), {
        "display_name": "x" * 61, "kind": "staff", "community": 999999})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "kind", "community"}
    member.refresh_from_db()
    assert (member.display_name, member.kind, member.community_id) == before


def test_profile_page_needs_login(client, db):
    response = client.get(reverse("members:profile"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_page_downloads_only_my_data(member_client, member):
    UserFactory(display_name="别人家的")
    response = member_client.get(reverse("members:export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert "别人家的" not in response.content.decode()


def test_delete_page_needs_the_box_ticked(member_client, member):
    response = member_client.post(reverse("members:delete"), {})
    assert response.status_code == 200 and response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()
    response = member_client.post(reverse("members:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()


def test_profile_page_is_all_chinese_by_default(member_client):
    page = member_client.get(reverse("members:profile")).content.decode()
    assert "我的账号" in page and "- 请选择 -" in page
    assert "Select an option" not in page
