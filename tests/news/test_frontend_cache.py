"""A caching proxy in front (nginx, Varnish): publishing sends HTTP PURGE for the page, and for
the pages whose cache namespace it made stale (the news index, the home page), to the proxy
named by FRONTEND_CACHE_URL. A local HTTP server on loopback plays the proxy."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from core import frontend_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxy():
    """A loopback 'proxy' that records every PURGE (path, Host) it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            received.append((self.path, self.headers["Host"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backends = {"proxy1": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                           "LOCATION": f"http://127.0.0.1:{server.server_port}"}}
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def wagtail_purges_on_publish():
    """What installing wagtail.contrib.frontend_cache (FRONTEND_CACHE_URL set) connects."""
    from django.apps import apps
    from wagtail.contrib.frontend_cache import signal_handlers as handlers
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    handlers.register_signal_handlers()
    yield
    for model in apps.get_models():
        if issubclass(model, Page):
            page_published.disconnect(handlers.page_published_signal_handler, sender=model)
            page_unpublished.disconnect(handlers.page_unpublished_signal_handler, sender=model)


def test_publishing_purges_the_story_and_the_pages_that_list_it(
        proxy, wagtail_purges_on_publish, make_story, news_index, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story("社区食堂冬季菜单上新", image=False)
    paths = {path for path, _ in proxy}
    assert story.url in paths  # Wagtail's own purge of the published page
    assert news_index.url in paths  # the index lists it: its namespace went stale
    assert home.url in paths  # so does the home page's
    assert {host for _, host in proxy} == {"localhost"}  # the site's host, for the proxy's cache key

    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert story.url in {path for path, _ in proxy}


def test_only_live_public_pages_of_the_stale_namespace_are_purged(proxy, make_story, news_index):
    from wagtail.models import PageViewRestriction

    live = make_story("街道开展消防演练", image=False)
    draft = make_story("草稿：垃圾分类新规", publish=False, image=False)
    private = make_story("内部通知", image=False)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    proxy.clear()

    assert frontend_cache.namespaces_changed({"news"}) >= 2
    paths = {path for path, _ in proxy}
    assert {live.url, news_index.url} <= paths
    assert not {f"{news_index.url}{draft.slug}/", private.url} & paths


def test_a_purge_is_capped_and_nothing_is_sent_without_a_proxy(proxy, make_story, settings, caplog):
    for n in range(3):
        make_story(f"便民服务第{n}期", image=False)
    settings.FENGCHAO_FRONTEND_PURGE_MAX = 2
    proxy.clear()
    assert frontend_cache.namespaces_changed({"news"}) == 2
    assert len(proxy) == 2
    assert "made more than 2 pages stale" in caplog.text
    settings.WAGTAILFRONTENDCACHE = {}
    assert frontend_cache.namespaces_changed({"news"}) == 0
