"""What the app is told after registering and when cancelling."""

import pytest

from programs import services
from programs.models import Registration

pytestmark = pytest.mark.django_db

API = "/api/v3/programs"


def test_register_response_counts_the_place_just_taken(client, make_program, make_member):
    program = make_program(places=[5])
    session = program.session_list[0]
    client.force_login(make_member())
    response = client.post(f"{API}/{program.pk}/register/", {"session_id": session.pk},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["session"]["remaining"] == 4
    assert client.get(f"{API}/{program.pk}/").json()["next_session"]["remaining"] == 4


def test_cancel_needs_no_body(client, make_program, make_member):
    program = make_program(places=[5])
    member = make_member()
    registration = services.register(member, program, program.session_list[0])
    client.force_login(member)
    response = client.generic("POST", f"{API}/registrations/{registration.pk}/cancel/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Registration.Status.CANCELLED
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
