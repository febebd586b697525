"""Business licence photos live in the private storage: no /media/ address serves them; only
gig-station officers and the enterprise's own staff get them, through a checked view that tells
caches not to keep them."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.storage import move_to_private
from gigs import services
from gigs.models import Employer
from members.models import OrganisationMembership
from tests.factories import UserFactory, logged_in_client
from tests.gigs import factories

pytestmark = pytest.mark.django_db


def _png(colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def applied():
    """An enterprise that applied on the page with its licence photo."""
    boss = UserFactory(kind="enterprise")
    client = logged_in_client(boss)
    photo = _png()
    response = client.post("/gigs/employer/apply/", {
        "kind": "enterprise", "name": "荷花便民洗衣店", "contact_name": "李红", "contact_phone": "13905711111",
        "credit_code": "91330106MA2B0C1D2U", "licence": SimpleUploadedFile("执照.png", photo, "image/png")})
    assert response.status_code == 302, response.content.decode()[:1000]
    return Employer.objects.get(), boss, photo


def test_the_photo_is_stored_outside_media_and_no_media_address_serves_it(applied, client):
    employer, _, photo = applied
    name = employer.licence.name
    on_disk = Path(storages["private"].path(name))
    assert on_disk.read_bytes() == photo
    assert Path(settings.PRIVATE_MEDIA_ROOT) in on_disk.parents
    assert Path(settings.MEDIA_ROOT) not in on_disk.parents
    assert not default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404


def test_officers_and_the_enterprise_staff_get_it_with_no_store(applied, officer_client):
    employer, boss, photo = applied
    colleague = UserFactory(kind="enterprise")
    OrganisationMembership.objects.create(organisation=employer.organisation, user=colleague, role="staff")
    for client in (officer_client, logged_in_client(boss), logged_in_client(colleague)):
        response = client.get(f"/gigs/employer/{employer.pk}/licence/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == photo
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_anyone_else_gets_a_404(applied, client):
    employer, _, _ = applied
    other_boss = services.employer_staff(factories.employer())[0]
    url = f"/gigs/employer/{employer.pk}/licence/"
    assert client.get(url).status_code == 404
    assert logged_in_client(UserFactory()).get(url).status_code == 404
    assert logged_in_client(other_boss).get(url).status_code == 404
    # Staff of another role are not entitled either.
    from tests.factories import staff_user

    assert logged_in_client(staff_user("Program staff")).get(url).status_code == 404


def test_an_employer_without_a_photo_or_unknown_is_a_404(officer_client):
    employer = factories.employer(verified=False)
    assert officer_client.get(f"/gigs/employer/{employer.pk}/licence/").status_code == 404
    assert officer_client.get("/gigs/employer/999999/licence/").status_code == 404


def test_the_officers_screens_link_to_the_checked_view_not_to_media(applied, officer_client):
    employer, boss, _ = applied
    url = f"/gigs/employer/{employer.pk}/licence/"
    queue = officer_client.get("/admin/gigs/verification/").content.decode()
    assert url in queue and "/media/" not in queue
    inspect = officer_client.get(f"/admin/gig_employers/inspect/{employer.pk}/").content.decode()
    assert url in inspect and "gigs/licences/" not in inspect
    home = logged_in_client(boss).get("/gigs/employer/").content.decode()
    assert url in home


def test_the_migration_moves_photos_uploaded_to_public_media(officer_client):
    """Licences uploaded before the private storage existed sit under MEDIA_ROOT: the migration
    moves each into the private storage, and the view serves it from there."""
    employer = factories.employer(verified=False)
    photo = _png("blue")
    old_name = default_storage.save("gigs/licences/old-licence.png", ContentFile(photo))
    Employer.objects.filter(pk=employer.pk).update(licence=old_name)
    try:
        move_to_private("gigs", "Employer", "licence")(apps, None)
        employer.refresh_from_db()
        assert not default_storage.exists(old_name)
        with storages["private"].open(employer.licence.name) as moved:
            assert moved.read() == photo
        response = officer_client.get(f"/gigs/employer/{employer.pk}/licence/")
        assert b"".join(response.streaming_content) == photo
    finally:
        storages["private"].delete(employer.licence.name)


def test_a_private_storage_inside_media_is_refused(settings):
    from core.checks import check_private_media

    assert check_private_media(None) == []
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": Path(settings.MEDIA_ROOT) / "private"}}}
    assert [e.id for e in check_private_media(None)] == ["fengchao.E030"]
