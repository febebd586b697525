"""Report photos are in the private storage: no /media/ address serves them, and photos stored
as public media before are moved there by the migration."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.storage import PrivateFileSystemStorage, move_to_private

pytestmark = pytest.mark.skipif(settings.S3 is not None, reason="the local-disk private storage")


def test_report_photos_are_private(db, member, client):
    from reports import services
    from tests.reports.factories import phone_photo

    photo = services.upload_photo(member, phone_photo())
    try:
        assert isinstance(photo.image.storage, PrivateFileSystemStorage)
        assert storages["private"].exists(photo.image.name)
        assert not storages["default"].exists(photo.image.name)
        assert client.get(f"/media/{photo.image.name}").status_code == 404
    finally:
        photo.image.delete(save=False)


def test_the_migration_moves_public_files_into_the_private_storage(db, member):
    from django.apps import apps

    from reports.models import ReportPhoto

    public, private = storages["default"], storages["private"]
    name = public.save("reports/2026/01/old.jpg", ContentFile(b"old photo"))
    photo = ReportPhoto.objects.create(uploaded_by=member, image=name)
    try:
        move_to_private("reports", "ReportPhoto", "image")(apps, None)
        photo.refresh_from_db()
        assert not public.exists(name) and private.exists(photo.image.name)
        with photo.image.open("rb") as handle:
            assert handle.read() == b"old photo"
    finally:
        private.delete(photo.image.name)
        public.delete(name)
