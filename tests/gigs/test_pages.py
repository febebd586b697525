"""The member pages and the officers' admin screens: what each person sees and may do."""

import datetime

import pytest
from django.utils import timezone

from gigs import services
from gigs.models import Employer, JobNeed, WorkRecord
from tests.factories import UserFactory, logged_in_client
from tests.gigs import factories

pytestmark = pytest.mark.django_db


def test_the_board_and_a_need_render_for_anyone(client):
    need = factories.need(title="夜班分拣员")
    page = client.get("/gigs/")
    assert page.status_code == 200 and "夜班分拣员" in page.content.decode()
    detail = client.get(f"/gigs/needs/{need.pk}/")
    assert detail.status_code == 200 and "¥180" in detail.content.decode()


def test_a_worker_without_a_profile_is_sent_to_fill_it_in():
    need = factories.need()
    client = logged_in_client(UserFactory())
    response = client.post(f"/gigs/needs/{need.pk}/apply/")
    assert response.status_code == 302 and "/gigs/me/profile/" in response["Location"]
    saved = client.post("/gigs/me/profile/", {"skills": "分拣, 搬运", "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
                                               "available_from": "18:00", "available_until": "23:00",
                                               "max_distance_km": "10", "min_pay_amount": "150", "min_pay_unit": "day",
                                               "searchable": "on", "subscribe_min_score": "60",
                                               "latitude": "30.285000", "longitude": "120.160000"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page = client.get("/gigs/for-you/")
    assert page.status_code == 200 and need.title in page.content.decode() and "1.3" in page.content.decode()


def test_an_enterprise_applies_from_its_phone_and_a_bad_code_is_explained():
    client = logged_in_client(UserFactory(kind="enterprise"))
    form = {"kind": "enterprise", "name": "荷花便民洗衣店", "contact_name": "李红", "contact_phone": "13905711111"}
    wrong = client.post("/gigs/employer/apply/", {**form, "credit_code": "91330106MA2B0C1D2A"})
    assert wrong.status_code == 200 and Employer.objects.count() == 0
    assert "does not add up" in wrong.content.decode() or "校验不通过" in wrong.content.decode()
    right = client.post("/gigs/employer/apply/", {**form, "credit_code": "91330106ma2b0c1d2u"})
    assert right.status_code == 302
    assert Employer.objects.get().credit_code == "91330106MA2B0C1D2U"


def test_the_employer_moves_an_applicant_and_both_confirm_a_day():
    need = factories.need(days_ahead=-1)
    rider = factories.worker()
    application = services.apply(rider, need.pk)
    boss = logged_in_client(services.employer_staff(need.employer)[0])
    page = boss.get(f"/gigs/employer/needs/{need.pk}/")
    assert page.status_code == 200 and rider.phone not in page.content.decode()
    assert boss.post(f"/gigs/applications/{application.pk}/move/", {"to": "hired"}).status_code == 302
    assert rider.phone in boss.get(f"/gigs/employer/needs/{need.pk}/").content.decode()
    worker = logged_in_client(rider)
    day = timezone.localdate() - datetime.timedelta(days=1)
    assert worker.post(f"/gigs/applications/{application.pk}/work/", {"date": day.isoformat(), "hours": "4"}).status_code == 302
    record = WorkRecord.objects.get()
    assert boss.post(f"/gigs/work/{record.pk}/confirm/").status_code == 302
    assert WorkRecord.objects.get().status == "confirmed"
    assert worker.get("/gigs/me/applications/").status_code == 200


def test_a_stranger_cannot_manage_a_need():
    need = factories.need()
    assert logged_in_client(UserFactory()).get(f"/gigs/employer/needs/{need.pk}/").status_code == 404


def test_officers_screens(officer_client):
    pending = factories.employer(verified=False, name="待审核的企业")
    factories.need(open_=False)
    need = factories.need()
    draft = factories.need(open_=False)
    services.submit_need(services.employer_staff(draft.employer)[0], draft.pk)
    services.flag_need(UserFactory(), need.pk, reason="deposit")
    for url, words in (("/admin/gigs/verification/", "待审核的企业"), ("/admin/gigs/review/", "双十一分拣员"),
                       ("/admin/gigs/flags/", "双十一分拣员"), ("/admin/gigs/disputes/", ""),
                       ("/admin/gigs/figures/", ""), ("/admin/gig_needs/", "双十一分拣员"),
                       ("/admin/gig_employers/?q=待审核", "待审核的企业")):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert words in response.content.decode(), url
    verified = officer_client.post("/admin/gigs/verification/", {"employer": pending.pk, "decision": "verify"})
    assert verified.status_code == 302
    assert Employer.objects.get(pk=pending.pk).status == "verified"
    pending_need = JobNeed.objects.filter(status="pending").first()
    officer_client.post("/admin/gigs/review/", {"need": pending_need.pk, "approve": "1"})
    assert JobNeed.objects.get(pk=pending_need.pk).status == "open"
    xlsx = officer_client.get(f"/admin/gigs/figures/?month={timezone.localdate():%Y-%m}&by=community&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_members_cannot_open_the_officers_screens():
    client = logged_in_client(UserFactory(is_staff=True))
    assert client.get("/admin/gigs/verification/").status_code in (302, 403)
