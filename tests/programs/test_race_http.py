"""Two program staff change the same registration at the same moment, through the live server
(pretix's concurrency tests are the model): exactly one wins, the other is told why, and the
database agrees. Each race has its control: with the row and seat locks switched off, both
"win", which proves the race is real and the tests above could fail.

PostgreSQL only (``DATABASE_URL=postgres://...``): on SQLite ``BEGIN IMMEDIATE`` serialises every
writer, so there is no race to lose.
"""

import time

import pytest
from django.db import connection

from core import audit, capacity
from core.models import Capacity, NotificationLog
from programs import services
from programs.models import Registration
from tests.factories import staff_user
from tests.live import call, together
from tests.programs.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = Registration.Status


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (set DATABASE_URL)")


def _staff_token(live_server):
    """Program staff logged in through allauth's app flow, as a phone app would be."""
    user = staff_user("Program staff", phone_verified=True)
    status, body = call(f"{live_server.url}/_allauth/app/v1/auth/login", "POST",
                         {"email": user.email, "password": "Fengchao-2026!"})
    assert status == 200, body
    return body["meta"]["session_token"]


def _together(live_server, path, tokens):
    return together(f"{live_server.url}{path}", tokens)


def _waiting_with_a_free_seat():
    """One seat taken, one person waiting, and a second seat made free without the service
    (so nobody has promoted the waiting person yet)."""
    session = SessionFactory(places=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session)
    assert waiting.status == Status.WAITLISTED
    Capacity.objects.filter(pk=session.capacity_id).update(total=2)
    return session, waiting


def _pending():
    session = SessionFactory(places=5, program__approval_required=True)
    registration = RegistrationFactory(session=session)
    assert registration.status == Status.PENDING
    return session, registration


def _unlocked(monkeypatch):
    monkeypatch.setattr(services, "LOCKING", False)
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(services, "_race_window", lambda: time.sleep(0.3))


def test_two_staff_promote_the_same_person_and_one_wins(live_server):
    session, waiting = _waiting_with_a_free_seat()
    tokens = [_staff_token(live_server), _staff_token(live_server)]
    results = _together(live_server, f"/api/v3/programs/registrations/{waiting.pk}/promote/", tokens)
    assert [status for status, _body in results] == [200, 409], results
    assert results[0][1]["status"] == Status.CONFIRMED
    assert results[1][1]["code"] == "not_waitlisted"
    assert Capacity.objects.get(pk=session.capacity_id).taken == 2
    assert audit.entries_for(waiting).filter(action="programs.promote").count() == 1
    assert NotificationLog.objects.filter(user=waiting.member, kind="programs.promoted").count() == 1


def test_control_without_the_locks_both_staff_promote_the_same_person(live_server, monkeypatch):
    _unlocked(monkeypatch)
    _session, waiting = _waiting_with_a_free_seat()
    tokens = [_staff_token(live_server), _staff_token(live_server)]
    results = _together(live_server, f"/api/v3/programs/registrations/{waiting.pk}/promote/", tokens)
    assert [status for status, _body in results] == [200, 200], results
    assert audit.entries_for(waiting).filter(action="programs.promote").count() == 2


def test_two_staff_approve_the_same_registration_and_one_wins(live_server):
    _session, pending = _pending()
    tokens = [_staff_token(live_server), _staff_token(live_server)]
    results = _together(live_server, f"/api/v3/programs/registrations/{pending.pk}/approve/", tokens)
    assert [status for status, _body in results] == [200, 409], results
    assert results[1][1]["code"] == "not_pending"
    assert audit.entries_for(pending).filter(action="programs.approve").count() == 1
    assert NotificationLog.objects.filter(user=pending.member, kind="programs.approved").count() == 1


def test_control_without_the_lock_both_staff_approve(live_server, monkeypatch):
    _unlocked(monkeypatch)
    _session, pending = _pending()
    tokens = [_staff_token(live_server), _staff_token(live_server)]
    results = _together(live_server, f"/api/v3/programs/registrations/{pending.pk}/approve/", tokens)
    assert [status for status, _body in results] == [200, 200], results
    assert audit.entries_for(pending).filter(action="programs.approve").count() == 2
