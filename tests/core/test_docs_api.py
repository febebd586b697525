"""The curl session in docs/api.md runs as written against a live server."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_documented_curl_session_works(live_server):
    script = re.search(r"```sh\n(.*?)```", DOC.read_text(), re.S).group(1)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "BASE": live_server.url},
    )
    assert result.returncode == 0, result.stderr
    assert '"display_name": "骑手小王"' in result.stdout or "\\u9a91\\u624b\\u5c0f\\u738b" in result.stdout
    assert '"profile"' in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "401"
