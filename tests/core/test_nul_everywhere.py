"""NUL characters are refused everywhere in the API, before anything reads or stores them.

The forms refuse them; PostgreSQL can neither store nor look up a string with one, so on it a
made-up session cookie or X-Session-Token with a NUL, a NUL in the path or in an upload's form
fields answered 500 (and SQLite silently stored them). Run on SQLite and on PostgreSQL (CI)."""

import io

import pytest
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import APIToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(response):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "nul_character"
    return True


@pytest.fixture
def bearer():
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = APIToken.create_token(user=admin, name="nul")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("headers", [
    {"X-Session-Token": "made\x00up"},
    {"Authorization": "Bearer x\x00y"},
    {"Cookie": "sessionid=abcdefgh\x00ijkl"},
    {"X-Anything": "\x00"},
])
@pytest.mark.parametrize("url", ["/api/v3/members/me/", "/api/v3/pages/", "/_allauth/app/v1/auth/session"])
def test_a_nul_in_a_header_or_cookie_is_400(headers, url):
    assert refused(Client(raise_request_exception=False).get(url, headers=headers))


@pytest.mark.parametrize("url", ["/api/v3/pages/%00/", "/api/v3/snippets/news.Section/1%00/",
                                 "/api/v3/programs/%00/"])
def test_a_nul_in_the_path_is_400(url):
    assert refused(Client(raise_request_exception=False).get(url))


def test_a_nul_in_the_query_or_a_json_body_is_refused(bearer):
    client = Client(raise_request_exception=False)
    assert client.get("/api/v3/pages/", {"search": "驿\x00站"}).status_code == 400
    response = client.post("/api/v3/members/organisations/", {"name": "企\x00业"}, content_type="application/json",
                           headers=bearer)
    assert response.status_code == 422 and response.json()["code"] == "nul_character"


def test_a_nul_in_an_upload_form_field_stores_nothing(bearer):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "nul.png"
    before = get_image_model().objects.count()
    response = Client(raise_request_exception=False).post(
        "/api/v3/images/", {"title": "图\x00片", "file": buffer}, headers=bearer)
    assert refused(response)
    assert get_image_model().objects.count() == before


def test_a_nul_in_a_url_encoded_body_is_400(bearer):
    response = Client(raise_request_exception=False).post(
        "/api/v3/members/organisations/", "name=%E4%BC%81%00", content_type="application/x-www-form-urlencoded",
        headers=bearer)
    assert refused(response)


def test_clean_requests_still_pass(bearer):
    client = Client(raise_request_exception=False)
    assert client.get("/api/v3/pages/", headers=bearer).status_code == 200
    assert client.get("/api/v3/members/me/", headers={"X-Session-Token": "made-up"}).status_code == 401
