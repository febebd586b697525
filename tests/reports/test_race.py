"""Two grid workers accept the same work order at the same moment, through the live server: one
wins, the other is told it has been accepted, and the database agrees. The control: with the
row lock switched off both "win", which proves the race is real and the test could fail.

PostgreSQL only (``DATABASE_URL=postgres://...``): on SQLite ``BEGIN IMMEDIATE`` serialises every
writer, so there is no race to lose."""

import time

import pytest
from django.db import connection

from core import audit
from reports import services
from reports.models import ReportUpdate, Status
from tests.live import call, together
from tests.reports.factories import HEHUA, grid_worker, make_category, rider

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (set DATABASE_URL)")


def _token(live_server, user):
    status, body = call(f"{live_server.url}/_allauth/app/v1/auth/login", "POST",
                        {"email": user.email, "password": "Fengchao-2026!"})
    assert status == 200, body
    return body["meta"]["session_token"]


def _order(hehua):
    return services.submit(rider(hehua), category=make_category(), description="楼道堆满纸箱", lat=HEHUA[0],
                           lng=HEHUA[1])


def _race(live_server, hehua, report):
    workers = [grid_worker(hehua, phone_verified=True), grid_worker(hehua, phone_verified=True)]
    tokens = [_token(live_server, w) for w in workers]
    return workers, together(f"{live_server.url}/api/v3/reports/{report.pk}/accept/", tokens)


def test_two_grid_workers_accept_at_once_and_one_wins(live_server, hehua):
    report = _order(hehua)
    workers, results = _race(live_server, hehua, report)
    assert [status for status, _body in results] == [200, 409], results
    assert results[1][1]["code"] == "not_submitted"
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and report.assignee_id in {w.pk for w in workers}
    assert audit.entries_for(report).filter(action="reports.accept").count() == 1
    assert ReportUpdate.objects.filter(report=report, status=Status.ACCEPTED).count() == 1


def test_control_without_the_lock_both_accept(live_server, hehua, monkeypatch):
    monkeypatch.setattr(services, "LOCKING", False)
    monkeypatch.setattr(services, "_race_window", lambda: time.sleep(0.3))
    report = _order(hehua)
    _workers, results = _race(live_server, hehua, report)
    assert [status for status, _body in results] == [200, 200], results
    assert audit.entries_for(report).filter(action="reports.accept").count() == 2
