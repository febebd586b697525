"""The one cache: named namespaces with a version each, and responses cached under them.

**Namespaces.** A namespace ("news", "programs", "canteen", the site frame "site" ...) stands for
everything some cached responses show. Its version is a row of :class:`core.models.CacheVersion`
(the database is the source of truth); every cache key carries the versions of the namespaces it
depends on, so bumping a version makes all those entries stale at once, in every process. The
time limit of an entry only bounds how long an unused one stays in the cache (and, where a
response depends on the clock, how old it may get).

**What makes a namespace stale** is declared, not wired by hand: an app's config (a plugin's
:class:`core.plugins.PluginConfig`, or any AppConfig) names the models whose changes make each of
its namespaces stale::

    cache_invalidation = {"programs": ("programs.ProgramPage", "programs.Session", "programs.Registration")}

:func:`connect` (run once, from core's ``ready()``) connects one receiver per signal for all of
them: saves, deletes and many-to-many changes of those models and their subclasses, and, for
pages and snippets, publish, unpublish and move. The bump happens after the transaction commits
(readers never cache what is about to change), once per namespace per transaction. A change the
signals do not see (``QuerySet.update()``) calls :func:`mark_stale` itself.

**A hit is cheap.** Each process keeps the versions it read, together with a *stamp* that every
bump replaces after its commit: in the shared Django cache when there is one (Redis with
``REDIS_URL``), else in a file under ``VAR_DIR`` (the in-process cache serves one machine, whose
processes all see the file). A request reads the stamp (with Redis in the same round trip as
the entries it looks up, :func:`read_current`; else one ``stat``) and queries the versions only
when the stamp changed. Without a usable stamp every request reads the versions: one query,
never a stale page. The file reaches one machine only: app servers on several machines without
Redis re-read the versions at least every ``CACHE_RECHECK_SECONDS`` (60 by default), which
bounds how stale one can be after another changed something (tests/multiserver shows both cases).

**Caching a response.** :func:`cached` decorates a view, or a ninja operation through
``ninja.decorators.decorate_view``; :class:`CachedPageMixin` does the same for Wagtail pages;
:func:`cached_values` keeps computed values (a slot's serialised menu) under the same versions.
Pages are for anonymous readers only (the CSRF token in the page is cut out and put back fresh
for each reader) and always depend on :data:`SITE`, the frame every page shows; ``everyone=True``
marks a response that is the same for every reader (public JSON), so it is served to all.
Hits carry ``X-Page-Cache: hit``.

**Answers that depend on the clock** say so instead of settling for a short time limit:
``cached(..., vary=today)`` keys them by the day (a "from today" listing is a new entry at
midnight), and :func:`expires_at` lets a view end its entry at the moment it would change by
itself (the next booking cut-off), so such an entry is never served past it.
"""

import hashlib
import logging
import os
import re
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: The site frame every HTML page shows (header, footer: the office's settings). Page caches
#: always depend on it.
SITE = "site"
#: How long an entry may stay in the cache unused (seconds), unless a use says otherwise.
DEFAULT_SECONDS = 600
HIT_HEADER = "X-Page-Cache"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
_PLACEHOLDER = b"__PAGE_CSRF_TOKEN__"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_STAMP_KEY = "core:cache:stamp"
_STAMP_FILE = "cache-stamp"


# --- versions ----------------------------------------------------------------------------------

#: Sent after the commit that made ``namespaces`` stale (e.g. core.frontend_cache purges a proxy).
stale = Signal()

_memo = None  # (stamp, {namespace: version}, when read: _clock()) of this process
_clock = time.monotonic


def _stamp_in_file():
    """True when the Django cache is this process's own (locmem, dummy): the stamp must then
    live where every process of the machine sees it."""
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    return isinstance(caches["default"], LocMemCache | DummyCache)


def _recheck_seconds():
    """Without a shared cache, how long this process trusts its copy of the versions while the
    stamp file says nothing changed. The file only tells the processes of one machine; an app
    server on another machine learns of a change by re-reading at least this often, so this is
    the most its pages and listings can be stale (0: trust the stamp alone, one machine)."""
    return getattr(settings, "FENGCHAO_CACHE_RECHECK_SECONDS", 60)


def _stamp_path():
    var = getattr(settings, "VAR_DIR", None)
    return os.path.join(var, _STAMP_FILE) if var else None


def _read_stamp():
    if not _stamp_in_file():
        return shared_cache.get(_STAMP_KEY)
    path = _stamp_path()
    try:
        return os.stat(path).st_mtime_ns if path else None
    except OSError:
        return None


def _create_stamp():
    """A stamp where there was none, or None when another process made one meanwhile (its value
    may already stand for a bump the versions just read do not show)."""
    if not _stamp_in_file():
        token = uuid.uuid4().hex
        return token if shared_cache.add(_STAMP_KEY, token, None) else None
    path = _stamp_path()
    if not path:
        return None
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _write_stamp():
    if not _stamp_in_file():
        shared_cache.set(_STAMP_KEY, uuid.uuid4().hex, None)
        return
    path = _stamp_path()
    if not path:
        return
    now = time.time_ns()
    try:
        try:
            os.utime(path, ns=(now, now))
        except FileNotFoundError:
            with open(path, "a"):
                pass
            os.utime(path, ns=(now, now))
    except OSError:
        logger.exception("cache stamp %s not written: other processes read versions from the database", path)


def versions():
    """{namespace: version} as committed (a namespace never bumped is 0)."""
    global _memo
    from core.models import CacheVersion

    stamp = _read_stamp()
    memo = _memo
    if stamp is not None and memo is not None and memo[0] == stamp:
        recheck = _recheck_seconds() if _stamp_in_file() else 0
        if not recheck or _clock() - memo[2] < recheck:
            return memo[1]
    # The stamp is read before the rows: a bump committed after this read replaces the stamp
    # after its commit, so what is kept below can never outlive a version it does not show.
    read_at = _clock()
    values = dict(CacheVersion.objects.values_list("name", "version"))
    if stamp is None:
        stamp = _create_stamp()
    if stamp is not None:
        _memo = (stamp, values, read_at)
    return values


def version_key(namespaces, current=None):
    """The versions of ``namespaces`` as one string, part of every key made under them
    (``current``: versions already read, else they are read now)."""
    current = versions() if current is None else current
    return ";".join(f"{name}.{current.get(name, 0)}" for name in sorted(set(namespaces)))


def read_current(keys_for):
    """``(keys, {key: value found})`` for the cache keys ``keys_for(versions)`` names under the
    current versions.

    With a shared cache (Redis) this is one round trip: the stamp is read together with the
    entries (one MGET, atomic), under the keys this process's copy of the versions gives, and the
    entries count only when the stamp is still the one that copy was read under. If it is not
    (a bump somewhere since), the versions are read again and so are the entries. A hit is never
    older than the stamp read with it, exactly as when the stamp is read first.
    """
    memo = _memo
    if memo is not None and not _stamp_in_file():
        keys = keys_for(memo[1])
        found = shared_cache.get_many([_STAMP_KEY, *keys])
        if found.pop(_STAMP_KEY, None) == memo[0]:
            return keys, found
    keys = keys_for(versions())
    return keys, (shared_cache.get_many(keys) if keys else {})


def forget_versions():
    """Drop this process's copy of the versions (tests: the database was rolled back)."""
    global _memo
    _memo = None


def mark_stale(*namespaces, using=None):
    """Make every entry under ``namespaces`` stale once the current transaction commits (at once
    outside a transaction). Several marks in one transaction bump each namespace once."""
    connection = transaction.get_connection(using)
    pending = connection.__dict__.setdefault("_fengchao_stale", set())
    pending.update(namespaces)
    alias = connection.alias
    transaction.on_commit(lambda: _flush(alias), using=alias, robust=True)


def _flush(alias):
    from django.db.models import F

    from core.models import CacheVersion

    connection = connections[alias]
    names = connection.__dict__.get("_fengchao_stale") or set()
    if not names:
        return
    connection.__dict__["_fengchao_stale"] = set()
    rows = CacheVersion.objects.using(alias)
    # One statement, atomic on its own: when every name has its row (the usual case, known from
    # the count) that is the whole bump, with no transaction around it (BEGIN and COMMIT were
    # two more round trips after every booking).
    bumped = rows.filter(name__in=names).update(version=F("version") + 1)
    if bumped != len(names):
        with transaction.atomic(using=alias):
            missing = names - set(rows.filter(name__in=names).values_list("name", flat=True))
            if missing:
                rows.bulk_create([CacheVersion(name=name) for name in missing], ignore_conflicts=True)
    forget_versions()
    _write_stamp()
    for receiver, error in stale.send_robust(sender=CacheVersion, namespaces=frozenset(names)):
        if isinstance(error, Exception):
            logger.error("after %s went stale, %r failed", ", ".join(sorted(names)), receiver, exc_info=error)


# --- what makes which namespace stale ------------------------------------------------------------

_declared = {}  # model class -> set of namespaces
_by_class = {}  # any model class -> frozenset of namespaces (subclasses included)


def declarations():
    """{model class: {namespaces}} from every installed app's ``cache_invalidation``."""
    from django.apps import apps

    declared = {}
    for config in apps.get_app_configs():
        spec = getattr(config, "cache_invalidation", None) or {}
        if not isinstance(spec, dict):
            raise ImproperlyConfigured(f"{config.label}.cache_invalidation must be a dict of namespace -> model labels")
        for namespace, labels in spec.items():
            if not _NAME.match(namespace):
                raise ImproperlyConfigured(
                    f"{config.label}.cache_invalidation: namespace {namespace!r} must be 1-40 lower-case letters, "
                    "digits, '.', '_' or '-'")
            if isinstance(labels, str):
                raise ImproperlyConfigured(
                    f"{config.label}.cache_invalidation[{namespace!r}] must be a tuple of model labels, not a string")
            for label in labels:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError):
                    raise ImproperlyConfigured(
                        f"{config.label}.cache_invalidation[{namespace!r}] names {label!r}, which is not an "
                        "installed model ('app_label.ModelName')") from None
                declared.setdefault(model, set()).add(namespace)
    return declared


def namespaces_for(model):
    """The namespaces a change of ``model`` (or of a model it inherits from) makes stale."""
    found = _by_class.get(model)
    if found is None:
        found = frozenset(name for declared, names in _declared.items()
                          if isinstance(model, type) and issubclass(model, declared) for name in names)
        _by_class[model] = found
    return found


def _is_settings(model):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return issubclass(model, BaseSiteSetting | BaseGenericSetting)


def _saved(sender, instance=None, created=False, raw=False, using=None, **kwargs):
    names = namespaces_for(sender)
    # Wagtail creates a settings row, empty, the first time a page reads it: that changes nothing.
    if names and not raw and not (created and _is_settings(sender)):
        mark_stale(*names, using=using)


def _deleted(sender, instance=None, using=None, origin=None, **kwargs):
    names = namespaces_for(sender)
    if names:
        mark_stale(*names, using=using)


def _m2m_changed(sender, instance=None, action="", model=None, using=None, **kwargs):
    if action.startswith("post_"):
        names = namespaces_for(type(instance)) | namespaces_for(model) | namespaces_for(sender)
        if names:
            mark_stale(*names, using=using)


def _published(sender, instance=None, **kwargs):
    names = namespaces_for(type(instance)) if instance is not None else namespaces_for(sender)
    if names:
        mark_stale(*names)


def connect():
    """Read every app's declaration and connect the receivers (once; core's ``ready()``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail import signals as wagtail_signals

    _declared.clear()
    _declared.update(declarations())
    _by_class.clear()
    post_save.connect(_saved, dispatch_uid="core-cache-saved")
    post_delete.connect(_deleted, dispatch_uid="core-cache-deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="core-cache-m2m")
    for name in ("page_published", "page_unpublished", "post_page_move", "published", "unpublished"):
        getattr(wagtail_signals, name).connect(_published, dispatch_uid=f"core-cache-{name}")


# --- cached responses ----------------------------------------------------------------------------


def _request_part(request, namespaces, everyone, vary):
    """``(namespaces, what else the key holds)`` for ``request``, or None when it must not be
    cached: not a GET, a preview, and for pages (not ``everyone``) a logged-in reader or one with
    flash messages waiting. Pages depend on :data:`SITE` as well."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    if not everyone:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return None
        if "messages" in request.COOKIES:
            return None
        namespaces = (*namespaces, SITE)
    rest = "|".join(["all" if everyone else "anon", request.get_host(), request.scheme, get_language() or "",
                     request.get_full_path(), vary(request) if vary else ""])
    return tuple(sorted(set(namespaces))), rest


def _response_key(part, current):
    names, rest = part
    raw = f"{version_key(names, current)}|{rest}"
    return f"resp:{'+'.join(names)}:" + hashlib.sha256(raw.encode()).hexdigest()


def response_key(request, namespaces, *, everyone=False, vary=None):
    """The key for ``request`` under ``namespaces`` (see :func:`lookup`), or None when it must
    not be cached. ``vary(request)`` adds what else the answer depends on (``today``)."""
    part = _request_part(request, namespaces, everyone, vary)
    return _response_key(part, versions()) if part else None


def lookup(request, namespaces, *, everyone=False, vary=None):
    """``(key, hit)`` for ``request`` under ``namespaces``: the key to store the answer under
    (None: not to be cached) and the stored answer, with a fresh CSRF token for this reader, or
    None. One cache round trip with Redis (:func:`read_current`)."""
    part = _request_part(request, namespaces, everyone, vary)
    if part is None:
        return None, None
    keys, found = read_current(lambda current: [_response_key(part, current)])
    entry = found.get(keys[0])
    return keys[0], (_respond(entry, request) if entry is not None else None)


def today(request=None):
    """The local date: ``cached(..., vary=today)`` for answers that start "from today"."""
    from django.utils import timezone

    return timezone.localdate().isoformat()


def expires_at(request, moment):
    """End the cache entry of the answer to ``request`` at ``moment`` (an aware datetime) at the
    latest: what it shows changes then by itself (a cut-off passes). A view calls it while it
    builds the answer; None changes nothing, several calls keep the earliest."""
    if moment is not None:
        current = getattr(request, "_fengchao_cache_until", None)
        request._fengchao_cache_until = moment if current is None else min(current, moment)


def cached_response(key, request):
    """The response stored under ``key``, with a fresh CSRF token for this reader, or None."""
    entry = shared_cache.get(key)
    return _respond(entry, request) if entry is not None else None


def _respond(entry, request):
    content_type, body, *until = entry
    if until and until[0] is not None and time.time() >= until[0]:
        # Past the moment the view said its answer changes at: the cache's own time limit
        # ends the entry then too, but a hit is never judged by another machine's clock.
        return None
    if isinstance(body, str):  # an entry stored before bodies were kept as bytes
        body = body.encode()
    if _PLACEHOLDER in body:
        body = body.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, content_type=content_type)
    response[HIT_HEADER] = "hit"
    return response


def store(key, response, seconds=DEFAULT_SECONDS, request=None):
    """Keep ``response`` under ``key`` if it is a plain 200 that sets no cookie of its own, for
    ``seconds`` or until the moment the view gave :func:`expires_at` for ``request``."""
    until = getattr(request, "_fengchao_cache_until", None)
    if until is not None:
        from django.utils import timezone

        # Whole seconds, rounded down: an entry must never outlive the moment it changes at.
        seconds = min(seconds, int((until - timezone.now()).total_seconds()))
    if response.status_code != 200 or response.streaming or response.cookies or seconds <= 0:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    # The bytes as sent (a hit then has nothing to encode), with any CSRF token cut out.
    body = _TOKEN.sub(lambda m: m.group(1) + _PLACEHOLDER + m.group(3), response.content)
    shared_cache.set(key, (response["Content-Type"], body, until.timestamp() if until is not None else None), seconds)
    return response


def cached(*namespaces, seconds=DEFAULT_SECONDS, everyone=False, vary=None):
    """Decorate a view (or, through ninja's ``decorate_view``, an API operation): GETs are
    answered from the cache under ``namespaces``. ``seconds`` bounds an entry's age (lower it
    for what depends on the clock, or end the entry exactly with :func:`expires_at`);
    ``everyone=True`` for a response that is the same for every reader (public JSON), else only
    anonymous readers are served from the cache; ``vary(request) -> str`` is added to the key."""
    if not namespaces:
        raise ImproperlyConfigured("cached() needs at least one namespace")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key, hit = lookup(request, namespaces, everyone=everyone, vary=vary)
            if hit is not None:
                return hit
            response = view(request, *args, **kwargs)
            return store(key, response, seconds, request) if key else response

        return wrapper

    return decorator


def serve_page_from_cache(request, namespaces):
    """For views that answer before Wagtail's routing (``/``, ``/news/...``): the page a
    :class:`CachedPageMixin` stored for this request, or None."""
    return lookup(request, namespaces)[1]


class CachedPageMixin:
    """For Wagtail page models (before ``Page`` in the bases): anonymous readers are served from
    the cache under ``cache_namespaces`` (and :data:`SITE`) for up to ``cache_seconds``. A page
    behind a view restriction is never stored (a reader who entered its password must not hand
    it to the next one), and adding a restriction must be declared as making the namespace stale
    (``wagtailcore.PageViewRestriction``) when pages are answered before Wagtail's routing."""

    cache_namespaces: tuple[str, ...] = ()
    cache_seconds = DEFAULT_SECONDS

    def serve(self, request, *args, **kwargs):
        key, hit = lookup(request, self.cache_namespaces) if self.cache_namespaces else (None, None)
        if hit is not None:
            return hit
        response = super().serve(request, *args, **kwargs)
        if key and not self.get_view_restrictions().exists():
            store(key, response, self.cache_seconds, request)
        return response


# --- cached values -------------------------------------------------------------------------------


def cached_values(namespaces, keys, build, seconds=DEFAULT_SECONDS):
    """{key: value} for ``keys``, read from the cache under ``namespaces`` in one round trip
    (the versions' stamp included, with Redis);
    ``build(missing_keys) -> {key: value}`` makes the ones not there, which are then kept."""
    keys = list(keys)
    names = tuple(namespaces)
    cache_keys, found = read_current(
        lambda current: [f"val:{version_key(names, current)}:{key}" for key in keys])
    by_key = dict(zip(keys, cache_keys, strict=True))
    result = {key: found[by_key[key]] for key in keys if by_key[key] in found}
    missing = [key for key in keys if key not in result]
    if missing:
        built = build(missing)
        shared_cache.set_many({by_key[key]: value for key, value in built.items()}, seconds)
        result.update(built)
    return result
