"""`make test` installs what its tests need, so the README's one command runs the browser tests."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")

ROOT = Path(settings.BASE_DIR)


def make(*args, path=None):
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    return subprocess.run([shutil.which("make"), "--no-print-directory", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True).stdout


def fake_npm(tmp_path):
    """An ``npm`` on PATH that records its arguments and lays down axe-core where it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text('#!/bin/sh\necho "$@" >> "$NPM_LOG"\nprefix=$3\n'
                   'mkdir -p "$prefix/node_modules/axe-core" && echo "/* axe */" > "$prefix/node_modules/axe-core/axe.min.js"\n')
    npm.chmod(0o755)
    return bin_dir


def test_make_test_installs_axe_core_with_npm_before_running_pytest(tmp_path, monkeypatch):
    e2e = tmp_path / "e2e"
    e2e.mkdir()
    (e2e / "package.json").write_text((ROOT / "tests" / "e2e" / "package.json").read_text())
    plan = make("-n", "test", f"E2E_DIR={e2e}")
    assert f"npm install --prefix {e2e} --no-audit --no-fund" in plan
    assert plan.index("npm install") < plan.index("-m pytest")

    log = tmp_path / "npm.log"
    monkeypatch.setenv("NPM_LOG", str(log))
    make("test-deps", f"E2E_DIR={e2e}", path=f"{fake_npm(tmp_path)}:{os.environ['PATH']}")
    assert log.read_text().split() == ["install", "--prefix", str(e2e), "--no-audit", "--no-fund", "--silent"]
    assert (e2e / "node_modules" / "axe-core" / "axe.min.js").exists()
    # Installed once: the next run does not call npm again.
    make("test-deps", f"E2E_DIR={e2e}", path=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    assert len(log.read_text().splitlines()) == 1


def test_without_npm_make_test_says_the_browser_tests_will_be_skipped(tmp_path):
    e2e = tmp_path / "e2e"
    e2e.mkdir()
    (e2e / "package.json").write_text("{}")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "bash", "test", "touch", "echo"):  # a PATH with a shell but no npm
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    out = make("test-deps", f"E2E_DIR={e2e}", path=str(bin_dir))
    assert "npm not found: the browser tests will be skipped" in out
