"""The issue's "Done means", end to end through the pages a phone opens: a rider photographs a
ground lock; the photo served back has no EXIF; the community's grid worker gets the work order,
accepts it and resolves it with a photo; the rider is told and credited; a second rider sees the
open report and taps "me too" instead of filing a duplicate."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from core.models import NotificationLog
from reports.models import Channel, Report, ReportPhoto, Status, Supporter
from tests.reports.factories import HEHUA, ground_lock_category, north, phone_photo, rider

pytestmark = pytest.mark.django_db


def _no_metadata(body: bytes):
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG"
    assert not image.getexif(), dict(image.getexif())
    assert not image.getexif().get_ifd(0x8825)
    assert b"Exif" not in body[:4096] and b"PhoneMaker" not in body and b"GPS" not in body
    return image


def _body(response):
    # The test client closes a streamed response once it is read. Closing it again here would
    # send request_finished outside the client, and Django would close the test's database
    # connection (on PostgreSQL, where the test's open transaction makes it look unusable).
    return b"".join(response.streaming_content)


def _form(point, **extra):
    return {"category": "ground-lock", "description": "公共车位上装了两个地锁，白天也锁着。", "q_count": "2",
            "q_locked": "yes", "lat": f"{point[0]:.6f}", "lng": f"{point[1]:.6f}", "address": "荷花路 26 号门口",
            **extra}


def test_a_ground_lock_from_photo_to_credit(client, hehua, worker, ledger):
    category = ground_lock_category()
    first = rider(hehua, display_name="张伟")
    client.force_login(first)
    point = north(HEHUA, 50)

    # The phone page: choose the category, then the form with the camera input.
    page = client.get(reverse("reports:new"), {"category": "ground-lock"})
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode() and 'accept="image/*"' in page.content.decode()
    # Without a photo a ground lock is refused with the reason, and nothing is filed.
    refused = client.post(reverse("reports:new"), _form(point))
    assert refused.status_code == 200 and "photo" in refused.content.decode().lower() or "照片" in refused.content.decode()
    assert not Report.objects.exists()

    response = client.post(reverse("reports:new"), _form(point, photo=phone_photo()))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.category, report.reporter, report.channel, report.status) == (category, first, Channel.PAGE, Status.SUBMITTED)
    assert report.community == hehua and report.community_source == "point"
    assert report.answers == {"count": 2, "locked": "yes"}
    assert report.deadline is not None

    # The photo served back has no EXIF (no GPS, no camera) and is not the uploaded file.
    photo = report.photos.get()
    served = client.get(reverse("reports:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    body = _body(served)
    _no_metadata(body)
    assert body != phone_photo().read()

    # The community's grid worker was told, and finds it first in the phone queue.
    assert NotificationLog.objects.filter(user=worker, kind="reports.new_work_order").count() == 1
    client.force_login(worker)
    queue = client.get(reverse("reports:queue"))
    assert queue.status_code == 200 and f"#{report.pk}" in queue.content.decode()
    work_url = reverse("reports:work", args=[report.pk])
    assert client.post(work_url, {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and report.assignee == worker
    # Resolving asks for a photo of the result (the category requires photos).
    client.post(work_url, {"action": "resolve", "note": "已拆除"})
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    done = client.post(work_url, {"action": "resolve", "note": "城管中队已拆除地锁两个。",
                                  "public_note": "地锁已拆除，车位恢复公共使用。", "photo": phone_photo("after.jpg")})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.resolved_at and report.credited
    after = report.photos.get(kind=ReportPhoto.Kind.RESOLUTION)
    _no_metadata(_body(client.get(reverse("reports:photo", args=[after.pk]))))

    # The rider is told, and credited once through core's service-rendered contract.
    told = NotificationLog.objects.filter(user=first, kind="reports.resolved").get()
    assert "地锁已拆除" in told.body
    assert [(e.member_id, e.source_key, e.community_id) for e in ledger] == [
        (first.pk, f"reports.report.{report.pk}", hehua.pk)]
    client.force_login(first)
    mine = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "地锁已拆除，车位恢复公共使用。" in mine


def test_a_second_rider_says_me_too_instead_of_a_duplicate(client, hehua, worker):
    ground_lock_category()
    first, second = rider(hehua), rider(hehua)
    client.force_login(first)
    client.post(reverse("reports:new"), _form(north(HEHUA, 50), photo=phone_photo()))
    report = Report.objects.get()

    client.force_login(second)
    shown = client.post(reverse("reports:new"), _form(north(HEHUA, 120), photo=phone_photo()))
    page = shown.content.decode()
    # Nothing filed yet: the open report 70 m away is shown, with "me too".
    assert Report.objects.count() == 1
    assert shown.status_code == 200 and f"#{report.pk}" in page
    assert reverse("reports:me_too", args=[report.pk]) in page
    assert "70" in page  # metres away
    assert client.post(reverse("reports:me_too", args=[report.pk])).status_code == 302
    assert Supporter.objects.filter(report=report, member=second).exists()
    report.refresh_from_db()
    assert report.supporter_count == 1
    # Twice is refused, and still one supporter.
    client.post(reverse("reports:me_too", args=[report.pk]))
    assert Supporter.objects.filter(report=report).count() == 1
    # The supporter hears of progress as the reporter does.
    client.force_login(worker)
    client.post(reverse("reports:work", args=[report.pk]), {"action": "accept"})
    assert NotificationLog.objects.filter(user=second, kind="reports.status").exists()


def test_a_different_problem_nearby_can_still_be_sent(client, hehua):
    ground_lock_category()
    first, second = rider(hehua), rider(hehua)
    client.force_login(first)
    client.post(reverse("reports:new"), _form(north(HEHUA, 50), photo=phone_photo()))
    client.force_login(second)
    shown = client.post(reverse("reports:new"), _form(north(HEHUA, 80), photo=phone_photo()))
    # The photo is kept between the two steps; "send as a new report" files it.
    data = _form(north(HEHUA, 80))
    form = shown.context["form"]
    data.update(photo_ids=form.data["photo_ids"], confirm_new="1")
    assert data["photo_ids"]
    sent = client.post(reverse("reports:new"), data)
    assert sent.status_code == 302
    assert Report.objects.count() == 2
    assert Report.objects.get(reporter=second).photos.count() == 1


def test_a_stranger_cannot_see_a_photo_not_yet_attached(client, hehua):
    from reports import services

    owner = rider(hehua)
    photo = services.upload_photo(owner, phone_photo())
    client.force_login(rider(hehua))
    assert client.get(reverse("reports:photo", args=[photo.pk])).status_code == 404
    client.force_login(owner)
    mine = client.get(reverse("reports:photo", args=[photo.pk]))
    assert mine.status_code == 200
    _no_metadata(_body(mine))
