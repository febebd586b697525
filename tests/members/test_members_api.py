import pytest

from core.models import NotificationLog
from members.models import Organisation, User
from tests.factories import (
    CommunityFactory,
    OrganisationFactory,
    UserFactory,
    organisation_reviewer,
)

ME = "/api/v3/members/me/"


def test_anonymous_gets_a_401_problem(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_member_reads_and_edits_own_profile(member_client, member):
    other = CommunityFactory()
    response = member_client.patch(ME, {"display_name": "王师傅", "community_id": other.pk},
                                   content_type="application/json")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.display_name == "王师傅" and member.community == other
    assert member_client.get(ME).json()["community"] == {"id": other.pk, "name": other.name, "code": other.code}


@pytest.mark.parametrize("body, status", [
    ({"kind": "astronaut"}, 422),
    ({"community_id": "north"}, 422),
    ({"community_id": 999999}, 404),
    ({"display_name": "x" * 61}, 422),
    ({"kind": "staff"}, 403),
])
def test_bad_profile_changes_are_refused_and_change_nothing(member_client, member, body, status):
    before = (member.display_name, member.kind, member.community_id)
    response = member_client.patch(ME, body, content_type="application/json")
    assert response.status_code == status
    member.refresh_from_db()
    assert (member.display_name, member.kind, member.community_id) == before


def test_export_contains_my_data_only(member_client, member):
    UserFactory(display_name="别人")
    data = member_client.get(f"{ME}export/").json()
    assert data["profile"]["phone"] == member.phone
    assert "别人" not in str(data)


def test_delete_needs_confirmation(member_client, member):
    assert member_client.delete(ME).status_code == 422
    assert User.objects.filter(pk=member.pk).exists()
    assert member_client.delete(f"{ME}?confirm=true").status_code == 204
    assert not User.objects.filter(pk=member.pk).exists()


def test_enterprise_registration_and_verification(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    response = client.post("/api/v3/members/organisations/",
                           {"name": "青石快送有限公司", "kind": "enterprise"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    org_id = response.json()["id"]

    refused = client.post(f"/api/v3/members/organisations/{org_id}/review/", {"approve": True},
                          content_type="application/json")
    assert refused.status_code == 403

    officer = organisation_reviewer()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/api/v3/members/organisations/{org_id}/review/", {"approve": True},
                               content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "verified"
    assert NotificationLog.objects.filter(user=member, kind="members.organisation_verified").exists()

    again = client.post(f"/api/v3/members/organisations/{org_id}/review/", {"approve": False},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "not_pending"
    assert Organisation.objects.get(pk=org_id).status == "verified"


def test_members_see_only_their_organisations(client, member):
    OrganisationFactory(name="别家公司")
    client.force_login(member)
    client.post("/api/v3/members/organisations/", {"name": "我家公司"}, content_type="application/json")
    names = [o["name"] for o in client.get("/api/v3/members/organisations/").json()["items"]]
    assert names == ["我家公司"]


def test_officer_listing_query_count_is_constant(client, db, django_assert_max_num_queries,
                                                django_assert_num_queries):
    officer = organisation_reviewer()
    for _ in range(3):
        OrganisationFactory()
    client.force_login(officer)
    client.get("/api/v3/members/organisations/")  # warm-up: permission caches
    # session, user, user permissions, group permissions, count, page (at most)
    with django_assert_max_num_queries(6) as small:
        assert client.get("/api/v3/members/organisations/?limit=20").json()["count"] == 3
    for _ in range(12):
        OrganisationFactory()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/v3/members/organisations/?limit=20").json()["count"] == 15


def test_unknown_community_or_organisation_is_404_and_writes_nothing(client, member):
    client.force_login(member)
    response = client.post("/api/v3/members/organisations/", {"name": "幽灵公司", "community_id": 999999},
                           content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "unknown_community"
    assert not Organisation.objects.filter(name="幽灵公司").exists()
    # a member may not review at all; an officer gets 404 for an organisation that does not exist
    assert client.post("/api/v3/members/organisations/999999/review/", {"approve": True},
                       content_type="application/json").status_code == 403
    client.force_login(organisation_reviewer())
    assert client.post("/api/v3/members/organisations/999999/review/", {"approve": True},
                       content_type="application/json").status_code == 404
