"""API changes show up in review: the OpenAPI document must match the committed snapshot.

Regenerate with `make openapi` after an intended change. The snapshot is taken with every built-in
plugin enabled, so the test only runs with the default plugin set.
"""

import json
import os
from pathlib import Path

import pytest

from core.plugins import plugin_labels

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


@pytest.mark.skipif("FENGCHAO_PLUGINS" in os.environ, reason="snapshot is of the default plugin set")
def test_openapi_document_matches_snapshot(client, db):
    current = client.get("/api/v3/openapi.json").json()
    expected = json.loads(SNAPSHOT.read_text())
    assert sorted(current["paths"]) == sorted(expected["paths"]), "run `make openapi` and review the diff"
    assert current == expected, "run `make openapi` and review the diff"


def test_openapi_document_is_valid_openapi_3_1(client, db):
    """Tools (schemathesis, client generators) refused half the operations of an invalid document:
    the anonymous security schemes had no ``scheme`` and the session token no ``name``/``in``."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    document = client.get("/api/v3/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    errors = [f"{list(e.path)}: {e.message}" for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert not errors, "\n".join(errors[:20])
    schemes = document["components"]["securitySchemes"]
    assert schemes["XSessionTokenAuth"] == {**schemes["XSessionTokenAuth"], "type": "apiKey", "in": "header",
                                            "name": "X-Session-Token"}
    assert "AllowAnonymous" not in schemes and "PublicAccess" not in schemes
    plugins = document["paths"]["/api/v3/plugins/"]["get"]
    assert {} in plugins["security"]  # public: anyone may call it


def test_every_operation_declares_its_error_answers(client, db):
    document = client.get("/api/v3/openapi.json").json()
    missing = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            if "400" not in declared:
                missing.append(f"{method} {path}: 400")
            if method in {"post", "put", "patch", "delete"} and not {"409", "422", "429", "503"} <= declared:
                missing.append(f"{method} {path}: write errors")
            if {} not in operation.get("security", [{}]) and not {"401", "403"} <= declared:
                missing.append(f"{method} {path}: 401/403")
    assert not missing, "\n".join(missing[:20])


@pytest.mark.skipif("programs" not in plugin_labels(), reason="program pages come with the programs plugin")
def test_program_pages_document_eligible_kinds_as_a_list(client, db):
    document = client.get("/api/v3/openapi.json").json()
    found = [schema["properties"]["eligible_kinds"] for schema in document["components"]["schemas"].values()
             if "eligible_kinds" in schema.get("properties", {})]
    assert found and all(prop.get("type") == "array" for prop in found), found


def test_no_two_api_schemas_share_a_name():
    """OpenAPI names a component by its class name: two schema classes of one name in different
    routers documented only one of their shapes (members' CommunityRef lost its shape to
    another's, and every /members/me/ answer violated the document)."""
    from wagtail.api.v3.api import api

    seen = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in _models(operation):
                    if model.__module__ == "abc" or model.__module__.startswith(("ninja", "wagtail", "allauth")):
                        continue  # generated per operation (Paged...) or not ours
                    name = model.__name__
                    if name in seen and seen[name] is not model:
                        pytest.fail(f"two API schemas named {name}: {seen[name].__module__} and {model.__module__}")
                    seen[name] = model
    # The walk saw the routers' schemas (core's and members' at least, every plugin's when enabled).
    assert len(seen) > (20 if plugin_labels() else 5)


def _models(operation):
    from ninja import Schema

    found, stack = [], []
    for response in operation.response_models.values():
        stack.extend(response.model_fields.values() if hasattr(response, "model_fields") else [])
    for model in operation.models:
        stack.extend(model.model_fields.values())
    visited = set()
    while stack:
        field = stack.pop()
        for candidate in _annotation_models(field.annotation):
            if candidate in visited:
                continue
            visited.add(candidate)
            if isinstance(candidate, type) and issubclass(candidate, Schema):
                found.append(candidate)
                stack.extend(candidate.model_fields.values())
    return found


def _annotation_models(annotation):
    import typing

    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [m for arg in args for m in _annotation_models(arg)]


def test_no_object_in_the_document_has_a_key_twice(client, db):
    """Ninja keyed declared responses by int and core.openapi added the same statuses as strings:
    the JSON then held "400" twice in one object and Swagger UI (/api/v3/docs/) refused the whole
    document ("duplicated mapping key"), drawing no operation."""
    repeated = []

    def pairs(items):
        keys = [key for key, _ in items]
        repeated.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(items)

    json.loads(client.get("/api/v3/openapi.json").content, object_pairs_hook=pairs)
    assert not repeated
