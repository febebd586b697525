"""A program whose cover image lost its file: the API leaves the cover out (null) and logs it.

Before core.images, /api/v3/programs/ answered 422 with the server's absolute media path."""

import logging

import pytest
from django.conf import settings

from tests.images import lose_file, make_image

pytestmark = pytest.mark.django_db


def test_a_missing_cover_file_is_left_out_and_logged(client, make_program, caplog):
    program = make_program(cover_image=lose_file(make_image("消失的封面")))
    fine = make_program(cover_image=make_image("完好的封面"))
    with caplog.at_level(logging.WARNING, logger="core.images"):
        listing = client.get("/api/v3/programs/")
        detail = client.get(f"/api/v3/programs/{program.pk}/")
    assert listing.status_code == 200, listing.content
    covers = {item["id"]: item["cover"] for item in listing.json()["items"]}
    assert covers[program.pk] is None
    # Absolute: this site's address, or the object storage's when media are on S3.
    assert covers[fine.pk]["url"].startswith(("http://testserver/", *settings.MEDIA_ORIGINS))
    assert detail.status_code == 200 and detail.json()["cover"] is None
    assert str(settings.MEDIA_ROOT) not in listing.content.decode() + detail.content.decode()
    assert any("is missing" in r.getMessage() and str(program.cover_image_id) in r.getMessage()
               for r in caplog.records)
    # The pages still open (Wagtail's own image tag shrugs the file off).
    assert client.get(program.url).status_code == 200
    assert client.get("/programs/").status_code == 200
