"""A schema-driven walk over the whole served API: no 5xx, no answer the document does not declare.

Schemathesis (as a library) generates requests for every operation in /api/v3/openapi.json from
the document itself, so a new router or field is walked without touching this file: data that
fits the schema (positive) and data that does not (negative), as four callers: anonymous, a
member (allauth app session token), staff in every staff role the enabled plugins bring (session token) and a
superuser's Wagtail bearer token. Each answer is checked for a server error, a status code the
document does not declare, a content type it does not declare, and (for data that fits) a body
that does not match the declared response schema.

Hypothesis runs derandomized with a fixed number of examples per operation, so a run is the same
every time and takes well under two minutes; raise ``FENGCHAO_API_WALK_EXAMPLES`` for a deeper
local walk.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks as openapi_checks
from wagtail.models import APIToken

from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("FENGCHAO_API_WALK_EXAMPLES", "4"))
PASSWORD = "Walker-2026-secret!"

POSITIVE_CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
                   openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]
NEGATIVE_CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
                   openapi_checks.content_type_conformance]


def session_token(email):
    response = Client().post("/_allauth/app/v1/auth/login", {"email": email, "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def make_user(email, **kwargs):
    user = UserFactory(email=email, phone_verified=True, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def identities(db, community):
    from django.contrib.auth.models import Group

    make_user("member@example.com", community=community)
    staff = make_user("staff@example.com", is_staff=True, community=community)
    staff.groups.set(Group.objects.all())  # every role the enabled plugins bring
    admin = make_user("admin@example.com", is_staff=True, is_superuser=True)
    _, token = APIToken.create_token(user=admin, name="walker")
    return {
        "anonymous": {},
        "member": {"X-Session-Token": session_token("member@example.com")},
        "staff": {"X-Session-Token": session_token("staff@example.com")},
        "admin": {"Authorization": f"Bearer {token}"},
    }


@pytest.fixture
def api_schema(client, db):
    document = client.get("/api/v3/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url="http://testserver")
    return schema


def walk(operation, mode, headers, app, checks):
    """Failures (as text) from EXAMPLES generated requests to one operation."""
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              print_blob=False)
    def run(case):
        response = case.call(app=app, headers=headers)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as group:  # keep walking, report every failure
            for failure in group.exceptions:
                failures.append(f"{case.method} {operation.path} [{mode.value}] -> {response.status_code}: "
                                f"{failure.title}: {str(failure.message).strip()[:300]}")

    try:
        run()
    except Unsatisfiable:
        pass  # nothing in this operation can be made invalid (no parameters, no body)
    return failures


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, minus what Django's own test client also leaves out: closing the
    database connection at the end of a request would end the test's transaction (after a
    request that met a database error) and leak its rows into the tests after this one."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "admin"])
def test_schema_walk_finds_no_server_error_and_no_undeclared_answer(who, identities, api_schema, wsgi_app):
    app = wsgi_app
    failures, walked = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        walked += 1
        failures += walk(operation, GenerationMode.POSITIVE, identities[who], app, POSITIVE_CHECKS)
        failures += walk(operation, GenerationMode.NEGATIVE, identities[who], app, NEGATIVE_CHECKS)
    assert walked > 50
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures))[:60])
