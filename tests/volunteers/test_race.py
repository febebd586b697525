"""Concurrency on PostgreSQL: volunteers racing for the last places of a shift, and two coordinators
approving the same entries. Real threads, one connection each.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_volunteers``; skipped on SQLite,
where BEGIN IMMEDIATE serialises every writer anyway.
"""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import capacity
from core.models import Capacity
from tests.factories import UserFactory
from tests.live import threaded
from tests.volunteers.conftest import first_shift
from volunteers import services
from volunteers.models import HoursEntry, SignUp

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RACERS = 40
LAST_PLACES = 10
TOTAL = 30


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (set DATABASE_URL)")


def _almost_full(make_opportunity, **fields):
    shift = first_shift(make_opportunity(places=[TOTAL], **fields))
    Capacity.objects.filter(pk=shift.capacity_id).update(taken=TOTAL - LAST_PLACES)
    return shift, [UserFactory() for _ in range(RACERS)]


def test_forty_volunteers_for_the_last_ten_places(make_opportunity):
    shift, members = _almost_full(make_opportunity)
    outcomes = threaded(lambda m: services.sign_up(m, shift).status, members)
    assert outcomes.count("confirmed") == LAST_PLACES, outcomes
    assert outcomes.count("waitlisted") == RACERS - LAST_PLACES, outcomes
    assert Capacity.objects.get(pk=shift.capacity_id).taken == TOTAL
    positions = sorted(SignUp.objects.filter(status="waitlisted").values_list("position", flat=True))
    assert positions == list(range(1, RACERS - LAST_PLACES + 1))


def test_without_waiting_list_the_rest_are_refused_full(make_opportunity):
    """Most of these are refused before taking any lock (the shift read full): still exactly the
    places left are given, and every other racer is told ``full``."""
    shift, members = _almost_full(make_opportunity, waitlist_enabled=False)
    outcomes = threaded(lambda m: services.sign_up(m, shift).status, members)
    assert outcomes.count("confirmed") == LAST_PLACES, outcomes
    assert outcomes.count("full") == RACERS - LAST_PLACES, outcomes
    assert SignUp.objects.filter(shift=shift, status="confirmed").count() == LAST_PLACES
    assert Capacity.objects.get(pk=shift.capacity_id).taken == TOTAL


def test_control_without_the_lock_the_race_oversells(make_opportunity, monkeypatch):
    """The same race with core.capacity's lock switched off: more volunteers get a place than
    there are, because read-modify-write loses updates. Proves the test above can fail."""
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(capacity, "_race_window", lambda: time.sleep(0.05))
    shift, members = _almost_full(make_opportunity, waitlist_enabled=False)
    # Without the lock sign_up's own row lock on the capacity is gone too: decide on the claim alone.
    outcomes = threaded(lambda m: services.sign_up(m, shift).status, members)
    assert outcomes.count("confirmed") > LAST_PLACES, outcomes


def test_two_coordinators_approving_the_same_entries_decide_each_once(make_opportunity):
    from tests.factories import staff_user

    member = UserFactory()
    end = timezone.now() - timedelta(hours=2)
    ids = [services.self_report(member, activity="社区巡逻", start=end - timedelta(minutes=60 * (i + 1)),
                                end=end - timedelta(minutes=60 * i)).pk for i in range(10)]
    coordinators = [staff_user("Volunteer coordinators") for _ in range(2)]
    outcomes = threaded(lambda c: services.approve(c, ids), coordinators)
    decided = sorted(pk for outcome in outcomes for pk in outcome["decided"])
    assert decided == sorted(ids), outcomes
    assert HoursEntry.objects.filter(status="approved").count() == 10
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="volunteers.approve").count() == 10
