"""The one cache (core.cache): declared invalidation, bumps after commit, cheap hits."""

import json
import re

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page, Site

from core import cache
from core.models import CacheVersion
from home.models import HomePage, OfficeSettings


def _declare(monkeypatch, spec):
    monkeypatch.setattr(apps.get_app_config("core"), "cache_invalidation", spec, raising=False)


@pytest.mark.parametrize("spec, message", [
    ({"core-test": ("nosuchapp.Model",)}, "not an installed model"),
    ({"core-test": ("core.NoSuchModel",)}, "not an installed model"),
    ({"core-test": "core.Community"}, "not a string"),
    ({"Core Test": ("core.Community",)}, "lower-case"),
    (["core.Community"], "must be a dict"),
])
def test_a_bad_declaration_is_refused_with_the_app_and_namespace_named(monkeypatch, spec, message):
    _declare(monkeypatch, spec)
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        cache.declarations()
    assert "core.cache_invalidation" in str(error.value)


def test_declarations_cover_subclasses_and_are_merged_per_model():
    assert cache.namespaces_for(OfficeSettings) == {cache.SITE}
    # "wagtailcore.Page" (home) covers every page type, and the home page is one.
    assert "home" in cache.namespaces_for(Page) and "home" in cache.namespaces_for(HomePage)
    assert cache.namespaces_for(CacheVersion) == frozenset()


def _version(name):
    return cache.versions().get(name, 0)


def test_a_namespace_goes_stale_after_commit_once_per_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            cache.mark_stale("core-test")
            cache.mark_stale("core-test", "core-test-2")
        assert _version("core-test") == 0  # not before the commit
    for callback in callbacks:
        callback()
    assert (_version("core-test"), _version("core-test-2")) == (1, 1)  # once, for three marks


def test_a_rolled_back_change_bumps_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            cache.mark_stale("core-test")
            raise RuntimeError
    assert _version("core-test") == 0


def _counting_view(namespace, **options):
    calls = []

    @cache.cached(namespace, **options)
    def view(request):
        calls.append(1)
        return HttpResponse(json.dumps({"calls": len(calls)}), content_type="application/json")

    return view


def test_a_cached_response_is_served_without_a_query_until_its_namespace_is_stale(
        db, django_assert_num_queries, django_capture_on_commit_callbacks):
    view = _counting_view("core-test", everyone=True)
    request = RequestFactory().get("/anything/?a=1")
    assert json.loads(view(request).content) == {"calls": 1}
    with django_assert_num_queries(0):
        hit = view(RequestFactory().get("/anything/?a=1"))
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Type"] == "application/json"
    assert json.loads(hit.content) == {"calls": 1}
    assert json.loads(view(RequestFactory().get("/anything/?a=2")).content) == {"calls": 2}  # its own entry
    with django_capture_on_commit_callbacks(execute=True):
        cache.mark_stale("core-test")
    fresh = view(RequestFactory().get("/anything/?a=1"))
    assert "X-Page-Cache" not in fresh and json.loads(fresh.content) == {"calls": 3}


def test_pages_are_for_anonymous_readers_and_follow_the_site_frame(db, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    view = _counting_view("core-test")

    def get(user=None, **cookies):
        request = RequestFactory().get("/page/")
        request.user = user or AnonymousUser()
        request.COOKIES.update(cookies)
        return view(request)

    get()
    assert get()["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in get(UserFactory())
    assert "X-Page-Cache" not in get(messages="waiting")  # a flash message to show
    post = RequestFactory().post("/page/")
    post.user = AnonymousUser()
    assert "X-Page-Cache" not in view(post)
    # The office's details are in every page's frame: editing them makes every page stale ...
    office = OfficeSettings.for_site(Site.objects.get(is_default_site=True))
    assert get()["X-Page-Cache"] == "hit"  # ... though Wagtail creating the row changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        office.hotline = "0571-8650 4444"
        office.save()
    assert "X-Page-Cache" not in get()


def test_a_bump_in_another_process_is_seen_through_the_stamp(db, django_assert_num_queries):
    """What another app server process does on a bump: the row, then a new stamp. This process
    re-reads the versions because the stamp changed, and only then."""
    cache.versions()
    with django_assert_num_queries(0):
        cache.versions()
    CacheVersion.objects.create(name="core-test", version=7)
    assert _version("core-test") == 0  # no stamp yet: this process's copy still stands
    cache._write_stamp()
    assert _version("core-test") == 7


def test_without_a_shared_cache_another_machines_bump_is_seen_within_the_recheck(
        db, settings, monkeypatch, django_assert_num_queries):
    """The stamp file reaches the processes of one machine only: a bump made on another machine
    (the row, but no stamp here) is seen once this process re-reads the versions, at most
    CACHE_RECHECK_SECONDS after it last read them (tests/multiserver measures it for real)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.FENGCHAO_CACHE_RECHECK_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(cache, "_clock", lambda: clock[0])
    cache.forget_versions()
    cache.versions()
    CacheVersion.objects.create(name="core-test", version=5)
    clock[0] += 29
    with django_assert_num_queries(0):
        assert _version("core-test") == 0  # trusted: the stamp here did not change
    clock[0] += 2
    assert _version("core-test") == 5  # re-read: 31 s since the last read
    with django_assert_num_queries(0):
        cache.versions()  # and trusted again
    settings.FENGCHAO_CACHE_RECHECK_SECONDS = 0  # one machine: the stamp alone
    clock[0] += 10_000
    with django_assert_num_queries(0):
        cache.versions()


def test_with_a_shared_cache_the_stamp_lives_in_it(db, settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path)}}
    from django.core.cache import cache as shared

    cache.forget_versions()
    assert not cache._stamp_in_file()
    cache.versions()
    stamp = shared.get("core:cache:stamp")
    assert stamp
    CacheVersion.objects.create(name="core-test", version=3)
    cache._write_stamp()
    assert shared.get("core:cache:stamp") != stamp and _version("core-test") == 3


def test_cached_values_are_kept_per_key_under_the_versions(db, django_capture_on_commit_callbacks):
    built = []

    def build(keys):
        built.append(sorted(keys))
        return {key: f"value {key}" for key in keys}

    assert cache.cached_values(["core-test"], [1, 2], build) == {1: "value 1", 2: "value 2"}
    assert cache.cached_values(["core-test"], [2, 3], build) == {2: "value 2", 3: "value 3"}
    assert built == [[1, 2], [3]]
    with django_capture_on_commit_callbacks(execute=True):
        cache.mark_stale("core-test")
    cache.cached_values(["core-test"], [1], build)
    assert built[-1] == [1]


def test_an_answer_that_changes_at_a_moment_is_never_served_past_it(db):
    """expires_at: the entry ends when what it shows changes by itself (a cut-off passes), not
    after a fixed time limit; vary=today gives every day its own entry."""
    import datetime

    import time_machine
    from django.utils import timezone

    calls = []
    cutoff = timezone.now() + datetime.timedelta(minutes=5)

    @cache.cached("core-test", everyone=True, vary=cache.today)
    def view(request):
        calls.append(1)
        cache.expires_at(request, cutoff)
        cache.expires_at(request, None)  # no moment: changes nothing
        cache.expires_at(request, cutoff + datetime.timedelta(hours=1))  # the earliest counts
        return HttpResponse(json.dumps({"calls": len(calls)}), content_type="application/json")

    assert json.loads(view(RequestFactory().get("/slots/")).content) == {"calls": 1}
    assert view(RequestFactory().get("/slots/"))["X-Page-Cache"] == "hit"
    with time_machine.travel(cutoff + datetime.timedelta(seconds=1)):
        after = view(RequestFactory().get("/slots/"))
    assert "X-Page-Cache" not in after and json.loads(after.content) == {"calls": 2}
    # An answer built after its moment has passed is not kept at all.
    cutoff = timezone.now() - datetime.timedelta(seconds=1)
    view(RequestFactory().get("/slots/?late=1"))
    assert "X-Page-Cache" not in view(RequestFactory().get("/slots/?late=1"))


def test_vary_today_keys_an_answer_by_the_local_date(db):
    import datetime

    import time_machine
    from django.utils import timezone

    view = cache.cached("core-test", everyone=True, vary=cache.today)(
        lambda request: HttpResponse(timezone.localdate().isoformat(), content_type="text/plain"))
    view(RequestFactory().get("/menu/"))
    assert view(RequestFactory().get("/menu/"))["X-Page-Cache"] == "hit"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        tomorrow = view(RequestFactory().get("/menu/"))
    assert "X-Page-Cache" not in tomorrow
    assert tomorrow.content.decode() == (timezone.localdate() + datetime.timedelta(days=1)).isoformat()



def test_a_page_with_a_form_gives_each_reader_a_csrf_token_of_their_own(db):
    """No cached page of the project has a form for anonymous readers now (the language switch
    needs no token), but a plugin's may: the stored body keeps a placeholder, never a token."""
    from django.template import engines

    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')

    @cache.cached("core-test")
    def view(request):
        return HttpResponse(template.render({}, request))

    def reader():
        request = RequestFactory().get("/form/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        return request, view(request)

    _, first = reader()
    second_request, second = reader()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert second["X-Page-Cache"] == "hit"
    assert token.search(first.content.decode())[1] != token.search(second.content.decode())[1]
    assert "__PAGE_CSRF_TOKEN__" not in second.content.decode()
    assert second_request.META["CSRF_COOKIE"]  # the token goes with this reader's own cookie
