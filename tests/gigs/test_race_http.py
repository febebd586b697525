"""Two gig-station officers hire at the same moment for the last place of a need, through the
live server: exactly one is hired, the other is told the need is full, and the headcount holds.
Each race has its control: with the locks switched off both hires go through, which proves the
race is real and the tests above could fail.

PostgreSQL only (``DATABASE_URL=postgres://...``): on SQLite ``BEGIN IMMEDIATE`` serialises every
writer, so there is no race to lose.
"""

import threading
import time

import pytest
from django.db import connection

from core import audit, capacity
from core.models import Capacity
from gigs import services
from gigs.models import Application
from tests.factories import staff_user
from tests.gigs import factories
from tests.live import call, together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (set DATABASE_URL)")


def _officer_token(live_server):
    user = staff_user("Gig-station officers", phone_verified=True)
    status, body = call(f"{live_server.url}/_allauth/app/v1/auth/login", "POST",
                        {"email": user.email, "password": "Fengchao-2026!"})
    assert status == 200, body
    return body["meta"]["session_token"]


def _one_place_left():
    """A need of six with five hired, and two more applicants waiting."""
    need = factories.need(headcount=6)
    for _ in range(5):
        factories.hire(need)
    waiting = [services.apply(factories.worker(), need.pk) for _ in range(2)]
    return need, waiting


def _hire_both(live_server, applications, tokens):
    """Each officer hires a different applicant, both released at the same instant."""
    barrier = threading.Barrier(len(tokens))
    results, lock = [], threading.Lock()

    def run(application, token):
        barrier.wait()
        outcome = call(f"{live_server.url}/api/v3/gigs/applications/{application.pk}/move/", "POST",
                       {"to": "hired"}, token)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(applications, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(results, key=lambda r: r[0])


def _unlocked(monkeypatch):
    monkeypatch.setattr(services, "LOCKING", False)
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(services, "_race_window", lambda: time.sleep(0.3))
    monkeypatch.setattr(capacity, "_race_window", lambda: time.sleep(0.3))


def test_two_officers_hire_for_the_last_place_and_one_wins(live_server):
    need, waiting = _one_place_left()
    tokens = [_officer_token(live_server), _officer_token(live_server)]
    results = _hire_both(live_server, waiting, tokens)
    assert [status for status, _body in results] == [200, 409], results
    assert results[1][1]["code"] == "full"
    assert Application.objects.filter(need=need, status="hired").count() == 6
    assert Capacity.objects.get(key=need.capacity_key).taken == 6


def test_control_without_the_locks_both_officers_hire_past_the_headcount(live_server, monkeypatch):
    _unlocked(monkeypatch)
    need, waiting = _one_place_left()
    tokens = [_officer_token(live_server), _officer_token(live_server)]
    results = _hire_both(live_server, waiting, tokens)
    assert [status for status, _body in results] == [200, 200], results
    assert Application.objects.filter(need=need, status="hired").count() == 7


def test_two_officers_hire_the_same_worker_and_one_wins(live_server):
    need = factories.need(headcount=6)
    application = services.apply(factories.worker(), need.pk)
    tokens = [_officer_token(live_server), _officer_token(live_server)]
    results = together(f"{live_server.url}/api/v3/gigs/applications/{application.pk}/move/", tokens, {"to": "hired"})
    assert [status for status, _body in results] == [200, 409], results
    assert results[1][1]["code"] == "bad_move"
    assert Capacity.objects.get(key=need.capacity_key).taken == 1
    assert audit.entries_for(application).filter(action="gigs.hired").count() == 1


def test_control_without_the_locks_the_same_worker_is_hired_twice(live_server, monkeypatch):
    _unlocked(monkeypatch)
    need = factories.need(headcount=6)
    application = services.apply(factories.worker(), need.pk)
    tokens = [_officer_token(live_server), _officer_token(live_server)]
    results = together(f"{live_server.url}/api/v3/gigs/applications/{application.pk}/move/", tokens, {"to": "hired"})
    assert [status for status, _body in results] == [200, 200], results
    assert audit.entries_for(application).filter(action="gigs.hired").count() == 2
