"""The load balancer's health check: /healthz says whether the database and the cache answer."""

from unittest import mock

from django.db import OperationalError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext


def test_healthy_when_database_and_cache_answer(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, and no model query
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie, no language cookie
    assert "X-Page-Cache" not in response


def test_a_trailing_slash_and_head_work_too(client, db):
    assert client.get("/healthz/").status_code == 200
    response = client.head("/healthz")
    assert response.status_code == 200
    assert client.post("/healthz").status_code == 405


def test_database_down_is_503_naming_it(client, db, caplog):
    from django.db import connection

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}}
    assert "connection refused" not in response.content.decode()  # the reason is logged, not shown
    assert "connection refused" in caplog.text


def test_cache_down_is_503_naming_it(client, db):
    from core import health

    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("Error 111 connecting to redis")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_cache_that_loses_what_it_stored_is_unavailable(client, db):
    from core import health

    with mock.patch.object(health.cache, "get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"


def test_both_down(client, db):
    from django.db import connection

    from core import health

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")), \
            mock.patch.object(health.cache, "get", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "unavailable"}


@override_settings(ALLOWED_HOSTS=["fengchao.example.cn"], SECURE_SSL_REDIRECT=True)
def test_answers_a_balancer_polling_by_address_over_plain_http(client, db):
    """Balancers poll http://10.0.0.5:8000/healthz: no HTTPS redirect, no 400 for the host."""
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    # Every other address still gets both rules.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get("/", HTTP_HOST="fengchao.example.cn").status_code == 301


def test_no_login_needed_and_no_session_touched(client, db, member):
    client.force_login(member)
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert [q["sql"] for q in queries] == ["SELECT 1"]  # the session was never read
