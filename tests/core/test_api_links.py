"""Resolvers link to API operations by name (core.api.api_url), never by a path written out:
issue 9 asked for it, and a written-out path silently breaks when a prefix or route changes."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
WRITTEN_OUT = re.compile(r"""f?["']/api/v3/\w""")


def test_no_schema_writes_an_api_path_out():
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted(ROOT.glob("*/api/schemas.py"))
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if WRITTEN_OUT.search(line)]
    assert offenders == []
    assert len(list(ROOT.glob("*/api/schemas.py"))) >= 2  # the glob finds the plugins' schemas
