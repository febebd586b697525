"""Officers' admin screens for what was API-only: recording a consultation's outcome, and
managing who acts for an enterprise. Both call the services; bad input is explained, nothing
changes; lists are searchable and exportable."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from core.models import NotificationLog
from gigs import services
from gigs.models import Consultation, ConsultationSlot
from members.models import OrganisationMembership
from tests.factories import UserFactory, logged_in_client, staff_user
from tests.gigs import factories

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def booking(officer):
    """A rider's booking of a slot that begins in an hour; the clock is moved past it to record."""
    slot = ConsultationSlot.objects.create(topic="guidance", start=timezone.now() + datetime.timedelta(hours=1),
                                           end=timezone.now() + datetime.timedelta(hours=2), place="驿站一楼",
                                           officer=officer, places=2)
    services.sync_slot_places(slot)
    rider = UserFactory(display_name="骑手小王")
    return services.book_consultation(rider, slot.pk, question="想找晚上的活")


def test_the_outcome_is_recorded_from_the_list(officer_client, booking, time_machine):
    url = f"/admin/gigs/consultations/{booking.pk}/outcome/"
    assert url in officer_client.get("/admin/gig_consultations/").content.decode()
    assert url in officer_client.get(f"/admin/gig_consultations/inspect/{booking.pk}/").content.decode()
    page = officer_client.get(url)
    assert page.status_code == 200 and "想找晚上的活" in page.content.decode()
    # Before the slot begins: refused, with the reason, nothing recorded.
    early = officer_client.post(url, {"came": "1", "outcome": "推荐了夜班分拣"})
    assert early.status_code == 200
    assert str(services.GigError("slot_not_begun").message) in early.content.decode()
    assert Consultation.objects.get(pk=booking.pk).status == "booked"
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1, minutes=30))
    # Came, but nothing written: the field says what is missing.
    empty = officer_client.post(url, {"came": "1", "outcome": "  "})
    assert empty.status_code == 200
    assert str(services.GigError("outcome_required").message) in empty.content.decode()
    assert officer_client.post(url, {"came": "maybe", "outcome": "x"}).status_code == 200
    assert Consultation.objects.get(pk=booking.pk).status == "booked"
    done = officer_client.post(url, {"came": "1", "outcome": "推荐了物流园夜班分拣，建议先办健康证。"}, follow=True)
    assert done.redirect_chain[-1][0] == "/admin/gig_consultations/"
    assert any("骑手小王" in m for m in _messages(done))
    recorded = Consultation.objects.get(pk=booking.pk)
    assert recorded.status == "done" and recorded.outcome.startswith("推荐了物流园") and recorded.recorded_by_id
    # Once recorded, there is nothing more to record.
    assert url not in officer_client.get("/admin/gig_consultations/").content.decode()
    again = officer_client.post(url, {"came": "0", "outcome": ""})
    assert again.status_code == 200 and Consultation.objects.get(pk=booking.pk).status == "done"


def test_a_no_show_needs_no_outcome(officer_client, booking, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    response = officer_client.post(f"/admin/gigs/consultations/{booking.pk}/outcome/", {"came": "0", "outcome": ""})
    assert response.status_code == 302
    assert Consultation.objects.get(pk=booking.pk).status == "no_show"


def test_consultations_are_searchable_and_exported(officer_client, booking, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    services.record_outcome(factories.officer(), booking.pk, outcome="介绍了超市理货岗位")
    found = officer_client.get("/admin/gig_consultations/?q=理货")
    assert found.status_code == 200 and "骑手小王" in found.content.decode()
    assert "骑手小王" not in officer_client.get("/admin/gig_consultations/?q=搬家").content.decode()
    csv = officer_client.get("/admin/gig_consultations/?export=csv")
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert csv.status_code == 200 and "介绍了超市理货岗位" in body and "骑手小王" in body
    slots = officer_client.get("/admin/gig_slots/?export=csv")
    assert slots.status_code == 200 and "驿站一楼" in b"".join(slots.streaming_content).decode("utf-8-sig")


def test_only_officers_record_outcomes(booking):
    url = f"/admin/gigs/consultations/{booking.pk}/outcome/"
    for user in (staff_user("Program staff"), UserFactory(is_staff=True)):
        assert logged_in_client(user).post(url, {"came": "0"}).status_code in (302, 403)
    assert Consultation.objects.get(pk=booking.pk).status == "booked"
    assert logged_in_client(factories.officer()).get("/admin/gigs/consultations/999999/outcome/").status_code == 404


def test_an_officer_adds_and_removes_an_enterprises_staff(officer_client, django_capture_on_commit_callbacks):
    employer = factories.employer(name="荷花家政")
    boss = services.employer_staff(employer)[0]
    url = f"/admin/gigs/employers/{employer.pk}/staff/"
    assert url in officer_client.get("/admin/gig_employers/").content.decode()
    assert url in officer_client.get(f"/admin/gig_employers/inspect/{employer.pk}/").content.decode()
    page = officer_client.get(url).content.decode()
    assert str(boss) in page and boss.phone in page
    newcomer = UserFactory(phone="+8613905712345", display_name="新来的李姐")
    # Unknown phone and bad input: explained, nobody added.
    unknown = officer_client.post(url, {"action": "add", "phone": "13900000001", "role": "staff"})
    assert unknown.status_code == 200 and 'class="error-message" role="alert"' in unknown.content.decode()
    assert officer_client.post(url, {"action": "add", "phone": "", "role": "staff"}).status_code == 200
    assert officer_client.post(url, {"action": "add", "phone": "139 0571 2345", "role": "owner"}).status_code == 200
    assert not OrganisationMembership.objects.filter(user=newcomer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        added = officer_client.post(url, {"action": "add", "phone": "139 0571 2345", "role": "staff"}, follow=True)
    assert any("新来的李姐" in m for m in _messages(added))
    membership = OrganisationMembership.objects.get(user=newcomer, organisation=employer.organisation)
    assert membership.role == "staff"
    assert NotificationLog.objects.filter(user=newcomer, kind="gigs.employer_staff").exists()
    # The new staff member acts for the enterprise at once.
    assert logged_in_client(newcomer).get("/gigs/employer/").status_code == 200
    assert "荷花家政" in logged_in_client(newcomer).get("/gigs/employer/").content.decode()
    removed = officer_client.post(url, {"action": "remove", "member": newcomer.pk}, follow=True)
    assert any("新来的李姐" in m for m in _messages(removed))
    assert not OrganisationMembership.objects.filter(user=newcomer).exists()
    # The last administrator stays.
    last = officer_client.post(url, {"action": "remove", "member": boss.pk}, follow=True)
    assert _messages(last) == [str(services.GigError("last_admin").message)]
    assert OrganisationMembership.objects.filter(user=boss, role="admin").exists()
    assert officer_client.post(url, {"action": "remove", "member": "x"}).status_code == 302


def test_an_individual_employer_has_no_staff_page_button(officer_client):
    individual = factories.employer(kind="individual", name="郑阿姨（家庭）")
    assert f"/admin/gigs/employers/{individual.pk}/staff/" not in officer_client.get(
        f"/admin/gig_employers/inspect/{individual.pk}/").content.decode()
    page = officer_client.post(f"/admin/gigs/employers/{individual.pk}/staff/",
                               {"action": "add", "phone": "13905712345", "role": "staff"})
    assert page.status_code == 200


def test_only_officers_manage_staff_in_the_admin():
    employer = factories.employer()
    url = f"/admin/gigs/employers/{employer.pk}/staff/"
    newcomer = UserFactory(phone="+8613905712399")
    for user in (staff_user("Program staff"), services.employer_staff(employer)[0]):
        response = logged_in_client(user).post(url, {"action": "add", "phone": "13905712399", "role": "staff"})
        assert response.status_code in (302, 403)
    assert not OrganisationMembership.objects.filter(user=newcomer).exists()


def test_the_api_asks_who_may_manage_before_looking_up_the_phone(django_capture_on_commit_callbacks):
    """A stranger learns nothing about which phones are members' (403 for both)."""
    from tests.factories import logged_in_client as login

    employer = factories.employer()
    UserFactory(phone="+8613905712388")
    stranger = login(UserFactory())
    api = f"/api/v3/gigs/employers/{employer.pk}/staff/"
    known = stranger.post(api, {"phone": "13905712388"}, content_type="application/json")
    unknown = stranger.post(api, {"phone": "13905719999"}, content_type="application/json")
    assert known.status_code == unknown.status_code == 403
