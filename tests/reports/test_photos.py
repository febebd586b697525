"""Photos are re-encoded: no EXIF, no GPS, upright, bounded in size; what is not a photo is a
clear 422 and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports import photos
from reports.models import ReportPhoto
from tests.reports.factories import phone_photo, rider

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
