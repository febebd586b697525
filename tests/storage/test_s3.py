"""Media on S3-compatible object storage (issue 16 item 4), against a real S3 API: public
images and renditions, and the private files (report photos, evidence, business licences).

Skipped unless ``S3_BUCKET`` is set; .ci/object-storage.sh starts moto's server on loopback and
runs this module with the ``S3_*`` variables pointing at it. Everything is checked the way a
reader would notice it: the object in the bucket (boto3), and URLs fetched over HTTP from the S3
server by an anonymous client (urllib), not through Django's test client.
"""

import html
import io
import re
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from PIL import Image

pytestmark = [pytest.mark.skipif(settings.S3 is None, reason="S3_BUCKET is not set (.ci/object-storage.sh)"),
              pytest.mark.django_db]


def s3_client(options):
    import boto3

    return boto3.client("s3", endpoint_url=options.get("endpoint_url"), region_name=options.get("region_name"),
                        aws_access_key_id=options.get("access_key"), aws_secret_access_key=options.get("secret_key"))


@pytest.fixture(scope="module")
def buckets():
    """(client, public bucket, private bucket, private prefix), both buckets made if missing."""
    public, private = settings.STORAGES["default"]["OPTIONS"], settings.STORAGES["private"]["OPTIONS"]
    client = s3_client(public)
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    for name in {public["bucket_name"], private["bucket_name"]} - existing:
        client.create_bucket(Bucket=name)
    return client, public["bucket_name"], private["bucket_name"], private.get("location", "")


def fetch(url):
    """(status, body) of an anonymous GET, as a browser without any credentials would make it."""
    assert url.startswith(("http://", "https://")), url
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (checked just above)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def jpeg(size=(640, 480), colour=(30, 90, 160)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_an_image_uploaded_in_the_admin_is_in_the_bucket_and_its_rendition_is_served(client, buckets):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from news.images import image_data
    from tests.factories import staff_user

    s3, public_bucket, _private, _prefix = buckets
    client.force_login(staff_user("Editors"))
    data = jpeg()
    response = client.post(reverse("wagtailimages:add"), {
        "title": "荷花社区的新驿站", "file": SimpleUploadedFile("station.jpg", data, "image/jpeg")})
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="荷花社区的新驿站")
    assert (image.width, image.height) == (640, 480)

    # The original is an object in the public bucket, readable by its plain URL.
    stored = s3.get_object(Bucket=public_bucket, Key=image.file.name)["Body"].read()
    assert stored == data
    assert not image.is_stored_locally()
    assert fetch(image.file.url) == (200, data)

    # A rendition is made from the bucket's copy, written back to it, and served from it.
    rendition = image.get_rendition("fill-320x240")
    assert rendition.url.startswith(tuple(settings.MEDIA_ORIGINS)) and "X-Amz-Signature" not in rendition.url
    s3.head_object(Bucket=public_bucket, Key=rendition.file.name)
    status, body = fetch(rendition.url)
    assert status == 200 and Image.open(io.BytesIO(body)).size == (320, 240)

    # The API hands out the same storage URLs, and the page's CSP lets a browser load them.
    api = image_data(image)
    status, body = fetch(api["renditions"]["card_webp"]["url"])
    assert status == 200 and Image.open(io.BytesIO(body)).format == "WEBP"
    policy = client.get("/")["Content-Security-Policy"]
    assert all(origin in policy for origin in settings.MEDIA_ORIGINS)


def test_a_report_photo_is_stripped_private_and_shown_only_to_its_owner(client, member, buckets):
    from reports import services
    from tests.reports.factories import phone_photo

    s3, _public, private_bucket, prefix = buckets
    photo = services.upload_photo(member, phone_photo())
    key = f"{prefix}/{photo.image.name}" if prefix else photo.image.name
    stored = s3.get_object(Bucket=private_bucket, Key=key)["Body"].read()
    # Re-encoded before it reached the bucket: no EXIF (the phone's make, the GPS position).
    assert b"PhoneMaker" not in stored and not Image.open(io.BytesIO(stored)).getexif()

    # Not readable by address: the object's plain URL is refused to anyone without a signature.
    endpoint = settings.STORAGES["private"]["OPTIONS"]["endpoint_url"].rstrip("/")
    assert fetch(f"{endpoint}/{private_bucket}/{quote(key)}")[0] == 403
    # Its owner sees it through the reports plugin's view; someone else does not.
    url = reverse("reports:photo", args=[photo.pk])
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
    photo.image.delete(save=False)


def test_private_urls_are_presigned_and_expire(buckets):
    from django.core.files.base import ContentFile

    storage = storages["private"]
    name = storage.save("tests/evidence.txt", ContentFile(b"evidence"))
    url = storage.url(name)
    assert "X-Amz-Signature" in url and f"X-Amz-Expires={settings.PRIVATE_MEDIA_URL_MAX_AGE}" in url
    assert fetch(url) == (200, b"evidence")
    assert fetch(url.split("?", 1)[0])[0] == 403
    storage.delete(name)


def test_the_officers_queue_links_evidence_by_a_presigned_url(client, buckets):
    from django.core.files.base import ContentFile

    from tests.factories import UserFactory, staff_user
    from volunteers import services

    end = timezone.now() - timedelta(hours=1)
    entry = services.self_report(UserFactory(), activity="帮独居老人换灯泡", start=end - timedelta(hours=1), end=end,
                                 evidence=ContentFile(jpeg((40, 30)), name="photo.jpg"))
    client.force_login(staff_user("Volunteer coordinators"))
    queue = client.get("/admin/volunteers/queue/").content.decode()
    [link] = re.findall(r'href="([^"]*volunteers/evidence/[^"]+)"', queue)
    link = html.unescape(link)
    status, body = fetch(link)
    assert status == 200 and Image.open(io.BytesIO(body)).size == (40, 30)
    assert fetch(link.split("?", 1)[0])[0] == 403
    entry.evidence.delete(save=False)


def test_documents_are_private_objects_served_after_wagtails_privacy_check(client, buckets):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    s3, public_bucket, _private, _prefix = buckets
    document = get_document_model().objects.create(title="会议纪要", file=ContentFile(b"minutes", name="minutes.txt"))
    assert fetch(f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/{public_bucket}/{document.file.name}")[0] == 403
    response = client.get(document.url)
    assert response.status_code == 302 and "X-Amz-Signature" in response["Location"]
    assert fetch(response["Location"]) == (200, b"minutes")
    document.file.delete(save=False)


def test_a_business_licence_is_a_private_object_its_enterprise_gets_through_the_gigs_view(buckets):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gigs.models import Employer
    from tests.factories import UserFactory, logged_in_client

    s3, _public, private_bucket, prefix = buckets
    boss = logged_in_client(UserFactory(kind="enterprise"))
    photo = jpeg((40, 30))
    response = boss.post("/gigs/employer/apply/", {
        "kind": "enterprise", "name": "荷花便民洗衣店", "contact_name": "李红", "contact_phone": "13905711111",
        "credit_code": "91330106MA2B0C1D2U", "licence": SimpleUploadedFile("执照.jpg", photo, "image/jpeg")})
    assert response.status_code == 302, response.content.decode()[:1000]
    employer = Employer.objects.get()
    key = f"{prefix}/{employer.licence.name}" if prefix else employer.licence.name
    assert s3.get_object(Bucket=private_bucket, Key=key)["Body"].read() == photo
    endpoint = settings.STORAGES["private"]["OPTIONS"]["endpoint_url"].rstrip("/")
    assert fetch(f"{endpoint}/{private_bucket}/{quote(key)}")[0] == 403
    response = boss.get(f"/gigs/employer/{employer.pk}/licence/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == photo
    employer.licence.delete(save=False)
