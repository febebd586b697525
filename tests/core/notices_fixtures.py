"""Notice kinds of the tests' own (core's tests must not depend on any plugin's notices)."""

import pytest

from core import notices
from core.notices import Notice

CLASS_CHANGED = Notice("tests.class_changed", params=("title", "when"), subject="%(title)s",
                       text="%(title)s改到%(when)s。")
LOGIN_CODE = Notice("tests.login_code", params=("code",), urgent=True, text="验证码 %(code)s")


@pytest.fixture
def test_notices(monkeypatch):
    registry = notices.registry()
    for notice in (CLASS_CHANGED, LOGIN_CODE):
        monkeypatch.setitem(registry, notice.kind, notice)
    return registry
