"""Issue 11's "Done means", walked end to end through the pages, the API and the admin.

A rider finds a leaflet drive on a phone, signs up, is checked in and out by QR, enters 120
leaflets, sees the hours pending, then approved, and downloads a certificate whose QR opens the
public verification page; a canteen delivery recorded for a volunteer shows up in their hours
without the canteen importing volunteers; a coordinator approves twenty self-reports at once and
exports the month; every bad input is a clear 4xx that changes nothing. (With FENGCHAO_PLUGINS
lacking volunteers the suite still passes: CI's minimal-plugin run.)
"""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
import zxingcpp
from django.urls import reverse
from PIL import Image
from wagtail.models import ModelLogEntry

from core import qr
from core.fonts import find_cjk_font
from core.models import Capacity
from tests.factories import UserFactory
from tests.volunteers.conftest import first_shift
from volunteers import documents
from volunteers.models import Certificate, Correction, HoursEntry, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
API = "/api/v3/volunteers"


def _decode(png):
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    return found.text


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body if body is not None else {}, content_type="application/json")


def test_a_rider_from_finding_a_leaflet_drive_to_a_verified_certificate(client, make_opportunity, coordinator,
                                                                      monkeypatch):
    with time_machine.travel(MONDAY_9, tick=False):
        drive = make_opportunity(places=[20], hours_from_now=24, length=3, outputs=["发放传单"],
                                 title="反诈宣传进小区：发放传单")
        make_opportunity(places=[6], hours_from_now=30, title="楼道消防通道清理")
        shift = first_shift(drive)
        rider = UserFactory(display_name="刘骑手")

        # Found on the phone's listing, signed up from the opportunity's page.
        assert drive.title in client.get("/volunteers/").content.decode()
        client.force_login(rider)
        assert reverse("volunteers:sign_up", args=[shift.pk]) in client.get(drive.url).content.decode()
        signed = client.post(reverse("volunteers:sign_up", args=[shift.pk]))
        assert signed.status_code == 302 and signed["Location"] == reverse("volunteers:me")
        signup = SignUp.objects.get(member=rider, shift=shift)
        assert signup.status == "confirmed"

    # The QR posted at the place is a standard QR of the shift's check-in page.
    client.force_login(coordinator)
    poster = client.get(reverse("volunteers:shift_qr", args=[shift.pk]))
    check_in_url = documents.absolute(reverse("volunteers:shift_check_in", args=[shift.check_in_code]))
    assert poster.status_code == 200 and poster.content == qr.svg(check_in_url, title=str(shift))
    scanned = _path(_decode(qr.png(check_in_url)))

    client.force_login(rider)
    with time_machine.travel(shift.start - datetime.timedelta(minutes=10), tick=False):
        assert client.post(scanned).status_code == 302
    assert SignUp.objects.get(pk=signup.pk).status == "checked_in"
    output = drive.outputs.get()
    with time_machine.travel(shift.start + datetime.timedelta(hours=2), tick=False):
        assert "发放传单" in client.get(scanned).content.decode()
        out = client.post(scanned, {f"output-{output.pk}": "120"})
    assert out.status_code == 302 and out["Location"] == reverse("volunteers:my_hours")
    entry = HoursEntry.objects.get(member=rider)
    # Minutes from the real times, clipped to the shift: checked in early counts from the start.
    assert entry.minutes == 120 and entry.status == "pending"
    assert [(o.label, o.quantity) for o in entry.outputs.all()] == [("发放传单", 120)]
    assert client.get(f"{API}/hours/summary/").json()["pending_minutes"] == 120
    assert "待审核" in client.get(reverse("volunteers:my_hours")).content.decode()

    client.force_login(coordinator)
    assert _json(client, "post", f"{API}/hours/approve/", {"ids": [entry.pk]}).json()["decided"] == [entry.pk]
    client.force_login(rider)
    assert client.get(f"{API}/hours/summary/").json()["approved_minutes"] == 120

    # A certificate for the month; its QR (as the PDF draws it) opens the public verification page.
    drawn = []
    real = documents._qr_png_stream
    monkeypatch.setattr(documents, "_qr_png_stream", lambda text: drawn.append(text) or real(text))
    made = client.post(reverse("volunteers:certificates"), {"period_start": "2026-11-01", "period_end": "2026-11-30"})
    assert made.status_code == 302
    certificate = Certificate.objects.get(member=rider)
    if find_cjk_font() is None:
        pytest.skip("no CJK font: the certificate PDF cannot be drawn here")
    pdf = client.get(reverse("volunteers:certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    [verification] = drawn
    assert _decode(qr.png(verification)) == verification == documents.verification_url(certificate)
    client.logout()
    proof = client.get(_path(verification))
    body = proof.content.decode()
    assert proof.status_code == 200 and "刘*手" in body and "刘骑手" not in body and certificate.number in body


def test_a_canteen_delivery_shows_in_the_volunteers_hours(client):
    from django.apps import apps

    if not apps.is_installed("canteen"):
        pytest.skip("the canteen plugin is not enabled")
    from canteen import services as canteen_services
    from canteen.models import Diner
    from canteen.roles import CANTEEN_STAFF
    from tests.canteen.conftest import TODAY, make_canteen, make_slot, on_meal_day
    from tests.factories import staff_user

    kitchen = make_canteen()
    slot = make_slot(kitchen)
    resident = UserFactory(kind="resident", community=kitchen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", birth_year=TODAY.year - 82, needs_delivery=True,
                                 community=kitchen.community, building="3栋", address="荷花小区3栋2单元401")
    booking = canteen_services.book(resident, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)],
                                    mode="delivery")
    volunteer = UserFactory(display_name="送餐志愿者小陈")
    canteen_services.assign_delivery(staff_user(CANTEEN_STAFF), [booking.delivery.pk], volunteer)
    with on_meal_day(slot):
        canteen_services.record_delivery(volunteer, booking.delivery, delivered=True)
    client.force_login(volunteer)
    [listed] = client.get(f"{API}/hours/").json()["items"]
    assert listed["source"] == "credit" and listed["minutes"] == 20 and "长者食堂" in listed["activity"]
    assert listed["activity"] in client.get(reverse("volunteers:my_hours")).content.decode()


def test_a_coordinator_approves_twenty_at_once_and_exports_the_month(client, coordinator):
    with time_machine.travel(MONDAY_9, tick=False):
        volunteers = [UserFactory(display_name=f"居民志愿者{n:02d}") for n in range(20)]
        ids = []
        for n, volunteer in enumerate(volunteers):
            client.force_login(volunteer)
            start = MONDAY_9 - datetime.timedelta(days=1, hours=n % 5 + 2)
            made = _json(client, "post", f"{API}/hours/", {"activity": "小区楼道清扫", "start": start.isoformat(),
                                                          "end": (start + datetime.timedelta(hours=1)).isoformat()})
            assert made.status_code == 201, made.content
            ids.append(made.json()["id"])
        assert HoursEntry.objects.filter(status="pending").count() == 20

        client.force_login(coordinator)
        queue = client.get("/admin/volunteers/queue/")
        assert queue.status_code == 200 and all(f'value="{pk}"' in queue.content.decode() for pk in ids)
        done = client.post("/admin/volunteers/queue/", {"entry": [str(pk) for pk in ids], "action": "approve"})
        assert done.status_code == 302
        assert HoursEntry.objects.filter(pk__in=ids, status="approved", decided_by=coordinator).count() == 20
        assert ModelLogEntry.objects.filter(action="volunteers.approve").count() == 20

        export = client.get("/admin/volunteers/reports/", {"kind": "person", "since": "2026-11-01",
                                                           "until": "2026-11-30", "format": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    people = {row[0] for row in rows[1:-1]}
    assert people == {f"居民志愿者{n:02d}" for n in range(20)}
    assert rows[-1][1:] == ["20.0", "20", "20"]


def test_every_bad_input_is_a_clear_4xx_that_changes_nothing(client, make_opportunity, make_member, coordinator):
    drive = make_opportunity(places=[1], hours_from_now=24, outputs=["发放传单"], waitlist_enabled=False)
    shift = first_shift(drive)
    rider, late = make_member(), make_member()
    client.force_login(rider)
    signup_id = _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/").json()["id"]
    entry = HoursEntry.objects.create(member=rider, activity="社区巡逻", start=MONDAY_9, minutes=60,
                                      end=MONDAY_9 + datetime.timedelta(hours=1), source="self_report")

    def state():
        return (list(SignUp.objects.order_by("pk").values_list("pk", "status")),
                list(HoursEntry.objects.order_by("pk").values_list("pk", "status", "minutes")),
                Certificate.objects.count(), Correction.objects.count(),
                Capacity.objects.get(pk=shift.capacity_id).taken,
                list(VolunteerProfile.objects.values_list("member_id", "availability")))

    before = state()
    future = (MONDAY_9 + datetime.timedelta(days=3650)).isoformat()
    as_rider = [
        ("post", f"{API}/shifts/999999/sign-up/", None, 404),
        ("post", f"{API}/shifts/{shift.pk}/sign-up/", None, 409),  # already on it
        ("post", f"{API}/signups/{signup_id}/check-out/", {"outputs": {"发放传单": 5}}, 409),  # not checked in
        ("post", f"{API}/signups/{signup_id}/check-out/", {"outputs": {"发放传单": "很多"}}, 422),
        ("post", f"{API}/hours/", {"activity": "巡逻", "start": MONDAY_9.isoformat(),
                                   "end": (MONDAY_9 - datetime.timedelta(hours=1)).isoformat()}, 422),
        ("post", f"{API}/hours/", {"activity": "巡逻", "start": future, "end": future}, 422),
        ("post", f"{API}/hours/", {"activity": "重叠的巡逻", "start": MONDAY_9.isoformat(),
                                   "end": (MONDAY_9 + datetime.timedelta(minutes=30)).isoformat()}, 409),
        ("post", f"{API}/hours/{entry.pk}/correction/", {"start": "not a time", "end": "x", "reason": "错"}, 422),
        ("post", f"{API}/certificates/", {"period_start": "2026-11-30", "period_end": "2026-11-01"}, 422),
        ("post", f"{API}/certificates/", {"period_start": "2020-01-01", "period_end": "2020-01-31"}, 409),
        ("put", f"{API}/profile/", {"availability": [{"weekday": 8, "start": "08:00", "end": "09:00"}]}, 422),
        ("put", f"{API}/profile/", {"id_number": "12345"}, 422),
        ("post", f"{API}/hours/approve/", {"ids": [entry.pk]}, 403),  # not a coordinator
    ]
    as_others = [
        (late, "post", f"{API}/shifts/{shift.pk}/sign-up/", None, 409),  # full, no waiting list
        (coordinator, "post", f"{API}/hours/approve/", {"ids": []}, 422),
        (coordinator, "post", f"{API}/hours/decline/", {"ids": [entry.pk], "reason": ""}, 422),
        (coordinator, "post", f"{API}/certificates/issue/", {"member_id": 999999, "period_start": "2026-11-01",
                                                             "period_end": "2026-11-30"}, 404),
    ]
    answers = [(url, _json(client, method, url, body), status) for method, url, body, status in as_rider]
    for who, method, url, body, status in as_others:
        client.force_login(who)
        answers.append((url, _json(client, method, url, body), status))
    client.logout()
    answers.append(("verify", client.get(f"{API}/certificates/verify/ZYFW-2026-000001/", {"code": "WRONG"}), 404))
    wrong = [(url, response.status_code, status, response.content[:200]) for url, response, status in answers
             if response.status_code != status]
    assert not wrong, wrong
    for url, response, _status in answers:
        problem = response.json()
        assert problem.get("detail") or problem.get("message") or problem.get("errors") or problem.get("title"), url
    assert state() == before
