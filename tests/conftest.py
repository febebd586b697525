import os

import pytest

from core.plugin_discovery import BUILTIN_PLUGINS, plugin_apps
from tests.worker import WORKER_MODE, _session_worker, task_worker  # noqa: F401 (fixtures)

# Tests of a plugin that is not enabled (e.g. the minimal-plugin CI run) are not collected.
_enabled = {app.split(".")[0] for app in plugin_apps(os.environ.get("FENGCHAO_PLUGINS"))}
collect_ignore = [name for name in BUILTIN_PLUGINS if name not in _enabled]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, so cache
    versions start again from the same numbers and an old entry would look current."""
    from django.core.cache import cache

    from core.cache import forget_versions

    cache.clear()
    forget_versions()


@pytest.fixture(autouse=True)
def _close_rendition_buffers(monkeypatch):
    """Wagtail 8 writes each rendition into a SpooledTemporaryFile it never closes
    (AbstractImage.generate_rendition_file), which Python reports as a ResourceWarning when the
    garbage collector finds it; with warnings as errors the test that happened to be running
    fails. Keep them and close them after each test."""
    import tempfile

    from wagtail.images import models as image_models

    opened = []

    class TrackedSpooledTemporaryFile(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(image_models, "SpooledTemporaryFile", TrackedSpooledTemporaryFile)
    yield
    for f in opened:
        f.close()


@pytest.fixture
def browser():
    """Headless Chromium for the browser tests (see tests/browser.py). One per test: a browser
    kept for a whole module (scope="module") made the live server answer 404 for '/' whenever a
    transactional test had run before it."""
    from tests.browser import launch_browser

    yield from launch_browser()


@pytest.fixture
def community(db):
    from tests.factories import CommunityFactory

    return CommunityFactory()


@pytest.fixture
def member(db, community):
    from tests.factories import UserFactory

    return UserFactory(community=community)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client_for(db, client):
    """``staff_client_for("Program staff")`` hands back a client logged in as that role."""
    from tests.factories import staff_user

    def make(group_name):
        user = staff_user(group_name)
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def app_token(db, client):
    """Sign up through allauth's app flow and return (user, session token)."""

    def make(email="rider@example.com", password="Fengchao-2026!", phone=None):
        body = {"email": email, "password": password}
        if phone:
            body["phone"] = phone
        response = client.post("/_allauth/app/v1/auth/signup", body, content_type="application/json")
        # A sign-up confirms its e-mail before it is in (settings.ACCOUNT_EMAIL_VERIFICATION).
        assert response.status_code == 401, response.content
        from tests.accounts import confirm_signup_email

        response = confirm_signup_email(client, "/_allauth/app/v1", email,
                                        {"X-Session-Token": response.json()["meta"]["session_token"]})
        assert response.status_code == 200, response.content
        from members.models import User

        return User.objects.get(email=email), response.json()["meta"]["session_token"]

    return make


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' data after its flush.

    A transactional test flushes the database; Django's flush then re-runs post_migrate, which
    recreates content types with new ids, and the next test that restores serialized data
    (to get back the home page, groups and sites the migrations made) collides with them.
    Restoring everywhere keeps each test independent of the order they run in. With a real task
    worker (TASKS_BACKEND=database) the tests marked ``tasks`` are transactional too.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & set(
            getattr(item, "fixturenames", ()))
        if WORKER_MODE and item.get_closest_marker("tasks"):
            # A worker process sees only committed rows (tests/worker.py).
            transactional = True
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture
def wechat_api(settings):
    """WeChat's API answered by a local server (tests/wechat.py), with the mini-program's
    credentials set and a short timeout; yields the fake to arrange answers and read requests."""
    from tests.wechat import APP_ID, SECRET, serve

    fake, base, stop = serve()
    settings.WECHAT_API_BASE = base
    settings.WECHAT_MINIPROGRAM_APP_ID = APP_ID
    settings.WECHAT_MINIPROGRAM_SECRET = SECRET
    settings.WECHAT_TIMEOUT = 0.5
    yield fake
    stop()
