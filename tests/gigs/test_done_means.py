"""Issue 12's "done means", end to end, as the people involved do it: an enterprise applies, an
officer verifies it, it posts a need for six sorters; a rider who can work evenings sees it near
the top of "recommended for you" with its reasons, applies from the phone page, is shortlisted
(only then does the enterprise see the phone number), hired, confirms three days of work the
enterprise confirms too; the seventh hire is refused with a clear 409; the station's monthly
figures count it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.models import NotificationLog
from gigs.models import Application, Employer, JobNeed, WorkRecord
from tests.factories import UserFactory, logged_in_client
from tests.gigs import factories

pytestmark = pytest.mark.django_db

API = "/api/v3/gigs"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_done_means(officer_client, django_capture_on_commit_callbacks):
    translation.activate("zh-hans")
    today = timezone.localdate()

    # An enterprise applies with its unified social credit code; a wrong one is refused first.
    boss = UserFactory(kind="enterprise", display_name="马晓东")
    boss_client = logged_in_client(boss)
    application_form = {"kind": "enterprise", "name": "青石同城物流有限公司", "contact_name": "马晓东",
                        "contact_phone": "13905710001", "address": "青石街道物流园3号仓"}
    refused = _post(boss_client, f"{API}/employers/", {**application_form, "credit_code": "91330106MA2B0C1D2X"})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_credit_code"
    applied = _post(boss_client, f"{API}/employers/", {**application_form, "credit_code": "91330106MA2B0C1D2U"})
    assert applied.status_code == 201, applied.content
    employer_id = applied.json()["id"]
    assert applied.json()["status"] == "pending"

    # Before verification its needs cannot go for review.
    need_body = {"title": "双十一夜班分拣员", "category": "sorting", "skills": ["分拣"], "headcount": 6,
                 "pay_amount": "180", "pay_unit": "day", "settlement": "daily",
                 "start_date": str(today - datetime.timedelta(days=3)), "end_date": str(today + datetime.timedelta(days=7)),
                 "shift_start": "18:00", "shift_end": "22:00", "address": "青石街道物流园3号仓",
                 "latitude": "30.274100", "longitude": "120.155100", "submit": True}
    early = _post(boss_client, f"{API}/employers/{employer_id}/needs/", need_body)
    assert early.status_code == 409 and early.json()["code"] == "not_verified"

    # The officer verifies it (a member who is not an officer cannot).
    assert _post(boss_client, f"{API}/employers/{employer_id}/decide/", {"decision": "verify"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        verified = _post(officer_client, f"{API}/employers/{employer_id}/decide/", {"decision": "verify"})
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert NotificationLog.objects.filter(user=boss, kind="gigs.employer_verify").exists()

    # It posts the need for six sorters; the officer opens it.
    early_draft = JobNeed.objects.get()  # the refused submit left a draft behind
    posted = _post(boss_client, f"{API}/needs/{early_draft.pk}/submit/")
    assert posted.status_code == 200 and posted.json()["status"] == "pending"
    need_id = early_draft.pk
    opened = _post(officer_client, f"{API}/needs/{need_id}/review/", {"approve": True})
    assert opened.status_code == 200 and opened.json()["status"] == "open"

    # Other open needs on the board: a daytime one, a far one, a badly paid one, a kitchen one.
    factories.need(title="白班装卸工", shift=("08:00", "17:00"), skills=("搬运",))
    factories.need(title="远郊仓库分拣", at=(Decimal("30.500000"), Decimal("120.400000")))
    factories.need(title="低价分拣", pay=Decimal("100"))
    factories.need(title="后厨帮工", skills=("切配",), category="kitchen", shift=("17:00", "21:00"))
    factories.need(title="夜班打包", skills=("打包",), shift=("19:00", "23:00"), pay=Decimal("160"))

    # A rider who can work evenings.
    rider = factories.worker(member=UserFactory(kind="worker", display_name="张伟", phone="+8613805710001"))
    rider_client = logged_in_client(rider)
    recommended = rider_client.get(f"{API}/recommended/")
    assert recommended.status_code == 200
    matches = recommended.json()
    titles = [m["need"]["title"] for m in matches]
    assert titles[0] == "双十一夜班分拣员", titles
    top = matches[0]
    assert "1.2 km away" in " ".join(top["reasons"]) or "公里" in " ".join(top["reasons"]) or "km" in " ".join(top["reasons"])
    reasons = " ".join(top["reasons"])
    assert "分拣" in reasons and "¥180" in reasons and "¥150" in reasons
    # Filtered out, and asked why not.
    assert "白班装卸工" not in titles and "远郊仓库分拣" not in titles and "低价分拣" not in titles
    far = JobNeed.objects.get(title="远郊仓库分拣")
    why = rider_client.get(f"{API}/needs/{far.pk}/why-not/").json()
    assert not why["suitable"] and any("km" in reason or "公里" in reason for reason in why["why_not"])
    cheap = JobNeed.objects.get(title="低价分拣")
    why = rider_client.get(f"{API}/needs/{cheap.pk}/why-not/").json()
    assert any("¥150" in reason for reason in why["why_not"])

    # The rider applies from the phone page.
    page = rider_client.get(f"/gigs/needs/{need_id}/")
    assert page.status_code == 200 and "双十一夜班分拣员" in page.content.decode()
    applied = rider_client.post(f"/gigs/needs/{need_id}/apply/", {"note": "晚上送完单可以过来"})
    assert applied.status_code == 302 and applied["Location"].endswith("/gigs/me/applications/")
    application = Application.objects.get(need_id=need_id, worker=rider)

    # Until shortlisted the enterprise sees the phone masked, on the API and on its page.
    listed = boss_client.get(f"{API}/needs/{need_id}/applications/").json()["items"]
    assert listed[0]["phone"] == "138****0001" and listed[0]["phone_visible"] is False
    assert "13805710001" not in boss_client.get(f"/gigs/employer/needs/{need_id}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        shortlisted = _post(boss_client, f"{API}/applications/{application.pk}/move/", {"to": "shortlisted"})
    assert shortlisted.status_code == 200
    assert shortlisted.json()["phone"] == "+8613805710001" and shortlisted.json()["phone_visible"] is True
    assert "+8613805710001" in boss_client.get(f"/gigs/employer/needs/{need_id}/").content.decode()
    assert NotificationLog.objects.filter(user=rider, kind="gigs.shortlisted").exists()

    # Hired.
    hired = _post(boss_client, f"{API}/applications/{application.pk}/move/", {"to": "hired"})
    assert hired.status_code == 200 and hired.json()["status"] == "hired"

    # Three days of work: the rider records them, the enterprise confirms each.
    for days_ago in (3, 2, 1):
        day = today - datetime.timedelta(days=days_ago)
        recorded = _post(rider_client, f"{API}/applications/{application.pk}/work/", {"date": str(day), "hours": "4"})
        assert recorded.status_code == 201, recorded.content
        assert recorded.json()["awaiting"] == "employer"
        # The worker cannot confirm their own record.
        assert _post(rider_client, f"{API}/work/{recorded.json()['id']}/confirm/").json()["code"] == "not_awaiting"
        confirmed = _post(boss_client, f"{API}/work/{recorded.json()['id']}/confirm/")
        assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert WorkRecord.objects.filter(application=application, status="confirmed").count() == 3

    # Six more apply; five are hired (six in all), and the seventh hire is refused with a clear 409.
    others = [factories.worker() for _ in range(6)]
    others_apps = [factories.services.apply(worker, need_id) for worker in others]
    for other in others_apps[:5]:
        assert _post(boss_client, f"{API}/applications/{other.pk}/move/", {"to": "hired"}).status_code == 200
    seventh = _post(officer_client, f"{API}/applications/{others_apps[5].pk}/move/", {"to": "hired"})
    assert seventh.status_code == 409
    assert seventh.json()["code"] == "full" and "6" in seventh.json()["detail"]
    assert Application.objects.filter(need_id=need_id, status="hired").count() == 6
    assert JobNeed.objects.get(pk=need_id).status == "filled"
    # A filled need takes no more applications either.
    late = _post(logged_in_client(factories.worker()), f"{API}/needs/{need_id}/apply/")
    assert late.status_code == 409 and late.json()["code"] == "full"

    # The station's monthly figures count it, on the API and in the officers' CSV.
    figures = officer_client.get(f"{API}/figures/?month={today:%Y-%m}").json()
    row = next(r for r in figures["rows"] if r["label"] == "青石同城物流有限公司")
    assert row == {"label": "青石同城物流有限公司", "posted": 1, "places": 6, "filled": 1, "placed": 6,
                   "days_to_fill": row["days_to_fill"]}
    assert figures["total"]["placed"] == 6 and figures["total"]["filled"] == 1
    csv = officer_client.get(f"/admin/gigs/figures/?month={today:%Y-%m}&by=employer&format=csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "青石同城物流有限公司,1,6,1,6," in text and text.strip().splitlines()[-1].startswith("合计")
    assert Employer.objects.get(pk=employer_id).organisation.status == "verified"
