"""Photos are re-encoded: no EXIF, no GPS, upright, bounded in size; what is not a photo is a
clear 422 and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports import photos
from reports.models import ReportPhoto
from tests.reports.factories import HEHUA, phone_photo, rider

pytestmark = pytest.mark.django_db


def _image(content):
    return Image.open(io.BytesIO(content.read()))


def test_exif_and_gps_are_gone_and_the_photo_is_turned_upright():
    image = Image.new("RGB", (400, 200), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (30.0, 16.0, 27.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    content, width, height = photos.clean_image(SimpleUploadedFile("p.jpg", buffer.getvalue()))
    clean = _image(content)
    assert (width, height) == (200, 400) == clean.size
    assert not clean.getexif() and "exif" not in clean.info


def test_large_photos_are_scaled_down_and_png_with_transparency_becomes_jpeg():
    buffer = io.BytesIO()
    Image.new("RGBA", (5000, 1000), (0, 0, 0, 0)).save(buffer, format="PNG")
    content, width, height = photos.clean_image(SimpleUploadedFile("p.png", buffer.getvalue()))
    assert (width, height) == (2048, 410) and _image(content).format == "JPEG"


@pytest.mark.parametrize("data", [b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b""])
def test_what_is_not_a_photo_is_refused(data, hehua):
    from reports import services

    with pytest.raises(photos.PhotoError) as refused:
        services.upload_photo(rider(hehua), SimpleUploadedFile("x.jpg", data))
    assert refused.value.code == "not_an_image" and refused.value.status == 422
    assert not ReportPhoto.objects.exists()


def test_the_stored_file_is_the_clean_one(hehua):
    from reports import services

    photo = services.upload_photo(rider(hehua), phone_photo())
    with photo.image.open("rb") as f:
        stored = f.read()
    assert b"PhoneMaker" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    assert photo.image.name.endswith(".jpg") and "lock" not in photo.image.name


def _upload(client, user):
    client.force_login(user)
    response = client.post("/api/v3/reports/photos/", {"photo": phone_photo(size=(1600, 1200))})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_thumbnail_is_made_once_on_upload_and_served_to_the_uploader_only(client, hehua):
    body = _upload(client, rider(hehua))
    photo = ReportPhoto.objects.get(pk=body["id"])
    assert photo.thumbnail and (photo.thumb_width, photo.thumb_height) == (photos.THUMB_SIDE, 240)
    assert body["thumbnail_url"].endswith(f"/reports/photos/{photo.pk}/thumbnail/")
    response = client.get(f"/reports/photos/{photo.pk}/thumbnail/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (photos.THUMB_SIDE, 240) and not served.getexif()
    assert photo.thumbnail.name != photo.image.name
    client.force_login(rider(hehua))
    assert client.get(f"/reports/photos/{photo.pk}/thumbnail/").status_code == 404
    client.logout()
    assert client.get(f"/reports/photos/{photo.pk}/thumbnail/").status_code == 404


def test_a_photo_stored_before_thumbnails_gets_one_the_first_time(client, hehua):
    from reports import services

    body = _upload(client, rider(hehua))
    photo = ReportPhoto.objects.get(pk=body["id"])
    photo.thumbnail.delete(save=False)
    ReportPhoto.objects.filter(pk=photo.pk).update(thumbnail="", thumb_width=0, thumb_height=0)
    response = client.get(f"/reports/photos/{photo.pk}/thumbnail/")
    assert response.status_code == 200 and b"".join(response.streaming_content)
    photo.refresh_from_db()
    made = photo.thumbnail.name
    assert made and photo.thumb_width == photos.THUMB_SIDE
    assert services.ensure_thumbnail(photo).thumbnail.name == made  # once


def test_the_public_list_shows_thumbnails(client, hehua):
    from reports import services
    from tests.reports.factories import ground_lock_category

    ground_lock_category()
    owner = rider(hehua)
    photo = services.upload_photo(owner, phone_photo())
    report = services.submit(owner, category="ground-lock", description="地锁", answers={"count": 1},
                             lat=HEHUA[0], lng=HEHUA[1], photo_ids=[photo.pk])
    client.logout()
    html = client.get("/reports/").content.decode()
    assert f'src="/reports/photos/{photo.pk}/thumbnail/"' in html
    thumb = client.get(f"/reports/photos/{photo.pk}/thumbnail/")  # a public report's: anybody's
    assert thumb.status_code == 200 and b"".join(thumb.streaming_content)
    item = client.get("/api/v3/reports/").json()["items"][0]
    assert item["id"] == report.pk and item["photos"][0]["thumbnail_url"].endswith(f"/{photo.pk}/thumbnail/")


def test_orphan_uploads_are_deleted_with_their_files_after_the_set_hours(hehua, time_machine,
                                                                         django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from reports import services
    from reports.tasks import delete_orphan_photos
    from tests.reports.factories import make_category

    time_machine.move_to(timezone.now(), tick=False)
    owner = rider(hehua)
    category = make_category("rubbish")
    orphan = services.upload_photo(owner, phone_photo())
    used = services.upload_photo(owner, phone_photo())
    services.submit(owner, category=category, description="垃圾", lat=HEHUA[0], lng=HEHUA[1], photo_ids=[used.pk])
    time_machine.shift(datetime.timedelta(hours=services.ORPHAN_PHOTO_HOURS - 1))
    recent = services.upload_photo(owner, phone_photo())
    storage = orphan.image.storage
    files = [orphan.image.name, orphan.thumbnail.name]
    assert all(storage.exists(name) for name in files)
    assert services.delete_orphan_photos() == 0  # not old enough yet
    time_machine.shift(datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        result = delete_orphan_photos.enqueue()
    assert result.return_value == 1
    assert set(ReportPhoto.objects.values_list("pk", flat=True)) == {used.pk, recent.pk}
    assert not any(storage.exists(name) for name in files)
    assert storage.exists(used.image.name) and storage.exists(recent.thumbnail.name)


def test_the_orphan_sweep_is_a_scheduled_job():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("scheduled_jobs", stdout=out)
    assert "reports.tasks.delete_orphan_photos" in out.getvalue()
