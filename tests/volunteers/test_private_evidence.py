"""Evidence photos are in the private storage; officers' queue links to them by a signed link
that expires."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from core.storage import PrivateFileSystemStorage

pytestmark = pytest.mark.skipif(settings.S3 is not None, reason="the local-disk private storage")


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 200, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def body(response):
    return b"".join(response.streaming_content)


def test_evidence_photos_are_private_and_officers_get_a_short_lived_link(db, client, make_member, coordinator):
    from volunteers import services
    from volunteers.models import HoursEntry

    member = make_member()
    end = timezone.now() - timedelta(hours=1)
    entry = services.self_report(member, activity="帮独居老人换灯泡", start=end - timedelta(hours=1), end=end,
                                 evidence=ContentFile(png_bytes(), name="photo.png"))
    entry = HoursEntry.objects.get(pk=entry.pk)
    try:
        assert isinstance(entry.evidence.storage, PrivateFileSystemStorage)
        assert client.get(f"/media/{entry.evidence.name}").status_code == 404
        client.force_login(coordinator)
        queue = client.get("/admin/volunteers/queue/").content.decode()
        [link] = re.findall(r'href="(/private-media/[^"]+)"', queue)
        client.logout()
        assert body(client.get(link)) == png_bytes()
        with time_machine.travel(timezone.now() + timedelta(seconds=settings.PRIVATE_MEDIA_URL_MAX_AGE + 5)):
            assert client.get(link).status_code == 404
    finally:
        entry.evidence.delete(save=False)


