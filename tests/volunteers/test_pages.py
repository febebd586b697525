"""The pages for people without the app: the same services, refusals as messages."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.volunteers.conftest import first_shift
from volunteers import services
from volunteers.models import HoursEntry, SignUp

pytestmark = pytest.mark.django_db


def test_listing_and_opportunity_page_show_shifts_and_places(client, make_opportunity):
    opportunity = make_opportunity(places=[6], title="周末河道清洁", outputs=["垃圾袋"])
    listing = client.get("/volunteers/")
    assert listing.status_code == 200 and "周末河道清洁" in listing.content.decode()
    page = client.get(opportunity.url)
    body = page.content.decode()
    assert page.status_code == 200 and "剩余 6 个名额" in body and "登录后报名" in body and "垃圾袋" in body


def test_sign_up_from_the_page_then_see_the_qr_and_withdraw(client, make_opportunity, make_member):
    opportunity = make_opportunity(places=[3])
    shift = first_shift(opportunity)
    member = make_member()
    client.force_login(member)
    assert 'action="/volunteers/shifts/' in client.get(opportunity.url).content.decode()
    response = client.post(f"/volunteers/shifts/{shift.pk}/sign-up/")
    assert response.status_code == 302 and response["Location"] == "/volunteers/me/"
    signup = SignUp.objects.get(member=member)
    me = client.get("/volunteers/me/").content.decode()
    assert signup.check_in_code in me and f"/volunteers/signups/{signup.pk}/qr.svg" in me
    assert client.get(f"/volunteers/signups/{signup.pk}/qr.svg")["Content-Type"] == "image/svg+xml"
    client.post(f"/volunteers/signups/{signup.pk}/withdraw/", {"confirm": "yes"})
    assert SignUp.objects.get(pk=signup.pk).status == SignUp.Status.WITHDRAWN


def test_a_refusal_is_a_message_and_changes_nothing(client, make_opportunity, make_member):
    shift = first_shift(make_opportunity(places=[1], waitlist_enabled=False))
    services.sign_up(make_member(), shift)
    client.force_login(make_member())
    response = client.post(f"/volunteers/shifts/{shift.pk}/sign-up/", follow=True)
    assert "这个班次已没有名额" in response.content.decode()
    assert SignUp.objects.count() == 1


def test_scanning_the_shift_poster_checks_in_and_out_with_counts(client, make_opportunity, make_member):
    shift = first_shift(make_opportunity(hours_from_now=24, length=2, outputs=["发放传单"]))
    member = make_member()
    services.sign_up(member, shift)
    client.force_login(member)
    url = f"/volunteers/check-in/{shift.check_in_code}/"
    with time_machine.travel(shift.start + timedelta(minutes=1), tick=False):
        client.force_login(member)
        assert "我要签到" in client.get(url).content.decode()
        client.post(url)
        page = client.get(url).content.decode()
        assert "我要签退" in page and "发放传单" in page
    output_id = shift.opportunity.outputs.get().pk
    with time_machine.travel(shift.start + timedelta(minutes=91), tick=False):
        client.force_login(member)
        client.post(url, {f"output-{output_id}": "120"})
    entry = HoursEntry.objects.get(member=member)
    assert entry.minutes == 90 and entry.outputs.get().quantity == 120


def test_self_report_with_a_photo(client, make_member):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    member = make_member()
    client.force_login(member)
    end = timezone.localtime(timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    response = client.post("/volunteers/me/hours/report/", {
        "activity": "帮独居老人换灯泡", "start": f"{end - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "end": f"{end:%Y-%m-%dT%H:%M}", "evidence": SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = HoursEntry.objects.get(member=member)
    assert entry.minutes == 60 and entry.evidence.name.startswith("volunteers/evidence/")
    entry.evidence.delete(save=False)
    assert "帮独居老人换灯泡" in client.get("/volunteers/me/hours/").content.decode()


def test_staff_roster_is_for_coordinators(client, make_opportunity, make_member, coordinator):
    shift = first_shift(make_opportunity())
    services.sign_up(make_member(display_name="孙阿姨"), shift)
    client.force_login(make_member())
    assert client.get(f"/volunteers/staff/shifts/{shift.pk}/").status_code == 403
    client.force_login(coordinator)
    page = client.get(f"/volunteers/staff/shifts/{shift.pk}/").content.decode()
    assert "孙阿姨" in page and "****" in page


def test_public_verification_page_and_leaderboard(client, make_member, coordinator):
    member = make_member(display_name="周建国")
    end = timezone.now() - timedelta(hours=1)
    entry = services.self_report(member, activity="消防安全巡查", start=end - timedelta(hours=2), end=end)
    services.approve(coordinator, [entry.pk])
    today = timezone.localdate()
    certificate = services.issue_certificate(coordinator, member, period_start=today - timedelta(days=3), period_end=today)
    page = client.get(f"/volunteers/verify/{certificate.number}/?code={certificate.verification_code}")
    body = page.content.decode()
    assert page.status_code == 200 and "周*国" in body and "周建国" not in body and "真实有效" in body
    services.revoke_certificate(coordinator, certificate.pk, reason="重复出具")
    assert "已被撤销" in client.get(f"/volunteers/verify/{certificate.number}/?code={certificate.verification_code}").content.decode()
    assert client.get(f"/volunteers/verify/{certificate.number}/?code=AAAA").status_code == 404
    board = client.get("/volunteers/leaderboard/?period=all").content.decode()
    assert "周*国" in board
