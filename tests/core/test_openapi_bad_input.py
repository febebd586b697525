"""Every operation in the OpenAPI document answers bad input with a 4xx, never a 5xx.

The walk covers whatever routers are enabled (core, members, every plugin, Wagtail's own), as an
anonymous caller, a member and a superuser holding a Wagtail bearer token.
"""

import json

import pytest
from django.test import Client
from wagtail.models import APIToken

from tests.factories import UserFactory

BAD_SCALARS = {"string": {"nested": True}, "integer": "abc", "number": "abc", "boolean": "maybe",
               "array": "not-a-list", "object": 42}


def wrong_typed_body(schema_ref, components):
    schema = schema_ref
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    props = schema.get("properties", {})
    return {name: BAD_SCALARS.get(prop.get("type"), None) for name, prop in props.items()}


def bad_requests(path, method, operation, components):
    params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
    concrete = [path]
    for value in ("0", "999999999", "not-a-number", "-1", "99999999999999999999999"):
        p = path
        for param in params:
            p = p.replace("{" + param["name"] + "}", value)
        concrete.append(p)
    concrete = [p for p in concrete if "{" not in p] or [path.replace("{", "").replace("}", "")]
    query_variants = [""]
    for param in operation.get("parameters", []):
        if param["in"] == "query":
            query_variants += [f"?{param['name']}=%ZZ%00", f"?{param['name']}=-99999999999999999999", f"?{param['name']}=9223372036854775807",
                               f"?{param['name']}={'x' * 300}"]
    bodies = [None]
    if "requestBody" in operation:
        content = operation["requestBody"].get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        bodies = ["{not json", "[]", "null", json.dumps({}), json.dumps(wrong_typed_body(schema, components)),
                  json.dumps({"meta": {"type": "nope.Nope"}, "id": "x"})]
    for p in concrete:
        for query in query_variants:
            for body in bodies:
                yield p + query, body


@pytest.fixture
def identities(db):
    member = UserFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = APIToken.create_token(user=admin, name="walker")

    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(member)
    bearer = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    return {"anonymous": anonymous, "member": logged_in, "admin": bearer}


def test_no_operation_answers_bad_input_with_a_server_error(identities, client):
    document = client.get("/api/v3/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    failures, count = [], 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for url, body in bad_requests(path, method, operation, components):
                for who, http in identities.items():
                    kwargs = {"content_type": "application/json"} if body is not None else {}
                    args = (url, body) if body is not None else (url,)
                    response = getattr(http, method)(*args, **kwargs)
                    count += 1
                    if response.status_code >= 500:
                        failures.append(f"{who} {method.upper()} {url[:120]} {str(body)[:60]} -> {response.status_code}")
    assert count > 100
    assert not failures, "\n".join(failures[:40])
