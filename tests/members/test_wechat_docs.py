"""The WeChat sign-in curl session in docs/api.md runs as written against a live server, with
WeChat answered by the local stand-in (tests/wechat.py)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_documented_wechat_session_works(live_server, wechat_api):
    wechat_api.sessions["doc-code-1"] = {"openid": "o-doc-1", "unionid": "u-doc-1"}
    wechat_api.phones["doc-phone-code-1"] = ("o-doc-1", "86", "13912340000")
    script = re.search(r"```bash\n(.*?)```", DOC.read_text(), re.S).group(1)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "BASE": live_server.url, "CODE": "doc-code-1", "PHONE_CODE": "doc-phone-code-1"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "phone_required True"
    assert '"phone": "+8613912340000"' in result.stdout and '"phone_required": false' in result.stdout
    assert lines[-1] == "400"
