"""API changes show up in review: the OpenAPI document must match the committed snapshot.

Regenerate with `make openapi` after an intended change. The snapshot is taken with every built-in
plugin enabled, so the test only runs with the default plugin set.
"""

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


@pytest.mark.skipif("FENGCHAO_PLUGINS" in os.environ, reason="snapshot is of the default plugin set")
def test_openapi_document_matches_snapshot(client, db):
    current = client.get("/api/v3/openapi.json").json()
    expected = json.loads(SNAPSHOT.read_text())
    assert sorted(current["paths"]) == sorted(expected["paths"]), "run `make openapi` and review the diff"
    assert current == expected, "run `make openapi` and review the diff"
