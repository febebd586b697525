import pytest

from core import credits
from tests.reports.factories import HEHUA, community_at, grid_worker


@pytest.fixture
def hehua(db):
    """荷花社区 with its centre, and 青云社区 1.2 km north of it."""
    home = community_at(*HEHUA, name="荷花社区", code="hehua")
    community_at(HEHUA[0] + 0.011, HEHUA[1], name="青云社区", code="qingyun")
    return home


@pytest.fixture
def worker(hehua):
    return grid_worker(hehua, display_name="李强")


@pytest.fixture
def ledger():
    """A stand-in hours ledger registered through core.credits, as the volunteers plugin would."""
    received = []

    def handler(event):
        received.append(event)
        return event.source_key

    credits.register(handler)
    yield received
    credits.unregister(handler)


@pytest.fixture(autouse=True)
def _after_commit(request, monkeypatch):
    """Tests inside one rolled-back transaction still see the texts that go out after commit
    (to the reporter, the grid worker): core.notify's on_commit runs them at once here. Tests on
    the live server commit for real and need no help."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction") or "live_server" in request.fixturenames:
        return
    from types import SimpleNamespace

    from django.db import transaction

    from core import notify

    monkeypatch.setattr(notify, "transaction", SimpleNamespace(
        on_commit=lambda func, robust=False: func(), atomic=transaction.atomic))
