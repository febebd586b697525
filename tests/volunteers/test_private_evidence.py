"""Evidence photos are in the private storage; officers' queue links to them by a signed link
that expires."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from core.storage import PrivateFileSystemStorage
from tests.images import png_bytes, streamed_body

pytestmark = pytest.mark.skipif(settings.S3 is not None, reason="the local-disk private storage")


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
        assert streamed_body(client.get(link)) == png_bytes()
        with time_machine.travel(timezone.now() + timedelta(seconds=settings.PRIVATE_MEDIA_URL_MAX_AGE + 5)):
            assert client.get(link).status_code == 404
    finally:
        entry.evidence.delete(save=False)


