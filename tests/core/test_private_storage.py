"""The private storage on the local disk (the default without S3): files outside MEDIA_ROOT that
no /media/ address serves, reachable only by a signed link that expires; report photos and
volunteers' evidence photos live there; Wagtail documents are not served by /media/ either."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from tests.images import png_bytes, streamed_body

pytestmark = [pytest.mark.skipif(settings.S3 is not None, reason="the local-disk private storage"), pytest.mark.django_db]


@pytest.fixture
def private_file():
    storage = storages["private"]
    name = storage.save("tests/secret.png", ContentFile(png_bytes()))
    yield name
    storage.delete(name)


def test_private_files_live_outside_media_root(private_file):
    path = storages["private"].path(private_file)
    assert str(settings.MEDIA_ROOT) not in path and path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_a_signed_link_serves_the_file_until_it_expires(client, private_file):
    url = storages["private"].url(private_file)
    assert url.startswith("/private-media/") and "secret.png" not in url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert streamed_body(response) == png_bytes()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PRIVATE_MEDIA_URL_MAX_AGE + 5)):
        assert client.get(url).status_code == 404


def test_a_forged_or_altered_link_is_404(client, private_file):
    url = storages["private"].url(private_file)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/private-media/{token[:-2]}xx/").status_code == 404
    assert client.get("/private-media/tests%2Fsecret.png/").status_code == 404
    assert client.get(f"/media/{private_file}").status_code == 404
    assert client.post(url).status_code == 405


def test_documents_are_not_served_under_media(client):
    storage = storages["default"]
    name = storage.save("documents/minutes.txt", ContentFile(b"private collection minutes"))
    try:
        assert client.get(f"/media/{name}").status_code == 404
    finally:
        storage.delete(name)
