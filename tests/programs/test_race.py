"""Concurrency on PostgreSQL: real threads, one connection each, racing for the last seats.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_programs``; skipped on SQLite,
where BEGIN IMMEDIATE serialises every writer anyway.
"""

import time

import pytest
from django.db import connection

from core import capacity
from core.models import Capacity
from programs import services
from programs.models import Registration
from tests.factories import UserFactory
from tests.live import threaded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RACERS = 50
LAST_SEATS = 10
TOTAL = 60


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (set DATABASE_URL)")


def _race(program, session, members):
    return threaded(lambda member: services.register(member, program, session).status, members)


def _almost_full(make_program, **fields):
    program = make_program(places=[TOTAL], **fields)
    session = program.session_list[0]
    Capacity.objects.filter(pk=session.capacity_id).update(taken=TOTAL - LAST_SEATS)
    members = [UserFactory() for _ in range(RACERS)]
    return program, session, members


def test_fifty_racers_for_the_last_ten_seats(make_program):
    program, session, members = _almost_full(make_program)
    outcomes = _race(program, session, members)
    assert len(outcomes) == RACERS
    assert outcomes.count("confirmed") == LAST_SEATS, outcomes
    assert outcomes.count("waitlisted") == RACERS - LAST_SEATS, outcomes
    assert Registration.objects.filter(status="confirmed").count() == LAST_SEATS
    assert Capacity.objects.get(pk=session.capacity_id).taken == TOTAL
    positions = sorted(Registration.objects.filter(status="waitlisted").values_list("position", flat=True))
    assert positions == list(range(1, RACERS - LAST_SEATS + 1))


def test_without_waiting_list_the_rest_are_refused(make_program):
    program, session, members = _almost_full(make_program, waitlist_enabled=False)
    outcomes = _race(program, session, members)
    assert outcomes.count("confirmed") == LAST_SEATS, outcomes
    assert outcomes.count("full") == RACERS - LAST_SEATS, outcomes
    assert Capacity.objects.get(pk=session.capacity_id).taken == TOTAL


def test_control_without_the_lock_the_race_oversells(make_program, monkeypatch):
    """The same race with core.capacity's lock switched off: more people are confirmed than
    there are seats, because read-modify-write loses updates. Proves the test above can fail."""
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(capacity, "_race_window", lambda: time.sleep(0.05))
    program, session, members = _almost_full(make_program, waitlist_enabled=False)
    outcomes = _race(program, session, members)
    assert outcomes.count("confirmed") > LAST_SEATS, outcomes
