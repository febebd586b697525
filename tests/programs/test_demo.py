import io

import pytest
from django.core.management import call_command
from django.db.models import Q

from core.models import Capacity
from programs.models import Attendance, ProgramPage, Registration

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_consistent(client):
    call_command("seed_demo", stdout=io.StringIO())
    programs = ProgramPage.objects.count()
    registrations = Registration.objects.count()
    assert programs == 12
    fire = ProgramPage.objects.get(slug="ebike-fire-safety")
    session = fire.session_list[0]
    assert session.capacity.remaining == 0
    assert Registration.objects.filter(program=fire, status="waitlisted").count() >= 2
    assert Attendance.objects.filter(session__start__lt=session.start).exists()
    # seats taken always equal the seat-holding registrations
    for capacity in Capacity.objects.filter(key__startswith="programs.session."):
        session_id = int(capacity.key.rsplit(".", 1)[1])
        holders = Registration.objects.holding_seat().filter(
            Q(session_id=session_id) | Q(session__isnull=True, program__sessions__id=session_id)).distinct().count()
        assert capacity.taken == holders, capacity.key

    call_command("seed_demo", stdout=io.StringIO())
    assert ProgramPage.objects.count() == programs
    assert Registration.objects.count() == registrations

    assert client.get("/programs/").status_code == 200
    assert client.get(fire.url).status_code == 200
    assert client.get("/api/v3/programs/").json()["count"] >= 10
