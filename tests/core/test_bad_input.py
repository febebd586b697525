"""Hand-made bad inputs a tester found answering 500; each is now a clear 4xx (core.middleware).

The schema-driven walk (test_openapi_bad_input.py) looks for new ones; these pin the known ones.
"""

import pytest
from django.test import Client
from wagtail.models import APIToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = APIToken.create_token(user=admin, name="probe")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@pytest.mark.parametrize("search", ["%20", "%20%20%09", "%22", "a%22b", "%22a%22%20%22"])
def test_blank_or_unbalanced_searches_are_400(bearer, endpoint, search):
    for http in (bearer, Client(raise_request_exception=False)):
        response = http.get(f"/api/v3/{endpoint}/?search={search}")
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "bad_search" and response.json()["detail"]


def test_a_balanced_phrase_still_searches(bearer):
    assert bearer.get('/api/v3/pages/?search=%22社区%22').status_code == 200


@pytest.mark.parametrize("url", ["/api/v3/members/organisations/", "/_allauth/app/v1/auth/login",
                                 "/_allauth/browser/v1/auth/login", "/api/v3/members/me/"])
@pytest.mark.parametrize("body", ["[" * 10000 + "]" * 10000, '{"a":' * 5000 + "1" + "}" * 5000,
                                  '{"a":' * 40 + "1" + "}" * 40])
def test_deeply_nested_json_is_400(url, body):
    client = Client(raise_request_exception=False)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "too_deep"


@pytest.mark.parametrize("field", ["first_name", "last_name", "display_name", "kind"])
def test_null_names_on_my_profile_are_422_and_change_nothing(member, member_client, field):
    before = getattr(member, field)
    response = member_client.patch("/api/v3/members/me/", {field: None}, content_type="application/json")
    assert response.status_code == 422, response.content
    member.refresh_from_db()
    assert getattr(member, field) == before


def test_made_up_credentials_do_not_skip_the_anonymous_write_throttle(settings):
    settings.FENGCHAO_ANON_WRITE_RATE = "3/m"
    client = Client(raise_request_exception=False)
    statuses = [client.post("/api/v3/members/organisations/", {}, content_type="application/json",
                            headers=headers).status_code
                for headers in [{"X-Session-Token": f"made-up-{n}"} for n in range(3)]
                + [{"Authorization": "Bearer nonsense"}, {"X-Session-Token": "again"}]]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


@pytest.mark.parametrize("action", ["copy", "move", "create_alias"])
def test_the_root_page_cannot_be_copied_moved_or_aliased(bearer, action):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    home = root.get_children().first()
    before = Page.objects.count()
    response = bearer.post(f"/api/v3/pages/{root.pk}/actions/{action}/",
                           {"destination_id": home.pk, "destination_page_id": home.pk},
                           content_type="application/json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "root_page"
    assert Page.objects.count() == before


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_snippet_key_that_is_not_a_number_is_404(bearer, method):
    response = getattr(bearer, method)("/api/v3/snippets/news.Section/x%C3%80/", content_type="application/json")
    assert response.status_code == 404


def test_an_api_address_that_matches_nothing_is_a_problem_json_404():
    client = Client(raise_request_exception=False)
    for response in (client.get("/api/v3/programs/registrations/abc/"),
                     client.post("/api/v3/programs/abc/register/", {}, content_type="application/json")):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
