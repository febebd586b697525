from members.models import User
from tests.factories import CommunityFactory, UserFactory


def test_staff_edit_member_fields_in_wagtail_admin(admin_client, db):
    community = CommunityFactory(name="荷花社区")
    member = UserFactory(kind=User.Kind.WORKER)
    url = f"/admin/users/edit/{member.pk}/"
    page = admin_client.get(url).content.decode()
    assert 'name="phone"' in page and 'name="community"' in page and 'name="kind"' in page
    response = admin_client.post(url, {
        "username": member.username, "email": member.email, "first_name": "国强", "last_name": "周",
        "display_name": "外卖骑手老周", "phone": "13800001234", "kind": "worker",
        "community": community.pk, "is_active": "on", "password1": "", "password2": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.display_name, member.phone, member.community) == ("外卖骑手老周", "+8613800001234", community)
