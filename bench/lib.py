"""Helpers for benchmark scenarios (``bench/scenarios/<plugin>.py``).

``setup(stdout)`` and race functions run inside the harness process, where Django is configured
for the bench database, so they may use the ORM. Races talk to the live server over HTTP:

    from bench.lib import race, request, session_tokens

    def booking_race(base_url):
        tokens = session_tokens(User.objects.filter(username__startswith="bench-rider")[:200])
        def book(i):
            status, _ = request("POST", f"{base_url}/api/v3/programs/sessions/1/register",
                                json={}, headers={"X-Session-Token": tokens[i]})
            return status
        figures = race(len(tokens), book)
        figures.update(confirmed=figures["statuses"].get(201, 0), expected=10)
        return figures
"""

import http.client
import json as jsonlib
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit


def percentile(values, pct):
    """Nearest-rank percentile of ``values`` (any order); 0 for an empty list."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def request(method, url, *, json=None, headers=None, timeout=30.0):
    """One HTTP request on a fresh connection. Returns ``(status, body bytes)``."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    all_headers = {"Accept": "application/json", **(headers or {})}
    body = None
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False).encode()
        all_headers.setdefault("Content-Type", "application/json")
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def race(n, attempt, *, timeout=120.0):
    """Run ``attempt(i)`` for i in range(n) in n threads released at once.

    ``attempt`` returns an HTTP status (int). Returns the figures the harness prints:
    ``racers, statuses {status: count}, errors_5xx, exceptions, rps, p50_ms, p95_ms, p99_ms, max_ms``.
    """
    barrier = threading.Barrier(n)
    lock = threading.Lock()
    statuses, latencies, exceptions = {}, [], []

    def run(i):
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            return
        started = time.perf_counter()
        try:
            status = attempt(i)
        except Exception as exc:  # noqa: BLE001 -- a failed attempt is a finding, not a crash
            with lock:
                exceptions.append(f"{type(exc).__name__}: {exc}")
            return
        elapsed = time.perf_counter() - started
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(elapsed * 1000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    wall = time.perf_counter() - started
    return _race_figures(n, statuses, latencies, exceptions, wall)


def _race_figures(n, statuses, latencies, exceptions, wall):
    """What :func:`race` and :func:`race_http` report, from each answer's status and latency."""
    return {
        "racers": n,
        "statuses": dict(sorted(statuses.items())),
        "errors_5xx": sum(count for status, count in statuses.items() if status >= 500) + len(exceptions),
        "exceptions": exceptions[:5],
        "rps": round(n / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
    }


def race_http(calls, *, timeout=120.0):
    """Send every request of ``calls`` (``[(method, url, json_body or None, headers)]``) at once,
    each on a connection of its own, from one asyncio loop; the figures of :func:`race`.

    The booking races use this rather than :func:`race`'s threads: with two hundred threads the
    load generator's own Python (thread switches on the GIL, ``http.client``) took a core of the
    two and most of a second per race, measured as the server's latency (the bare claim race
    read a p99 of 0.9 s). Here a request costs the loop a prepared ``write`` and one read."""
    import asyncio

    prepared = []
    for method, url, body, headers in calls:
        parts = urlsplit(url)
        payload = b"" if body is None else jsonlib.dumps(body, ensure_ascii=False).encode()
        lines = [f"{method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
                 f"Host: {parts.netloc}", "Accept: application/json", "Connection: close",
                 f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
        prepared.append((parts.hostname, parts.port or 80, ("\r\n".join(lines) + "\r\n\r\n").encode() + payload))

    async def one(host, port, data):
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(data)
            await writer.drain()
            status_line = await reader.readline()
            await reader.read()  # to the end: the answer is complete when the server closes
        finally:
            writer.close()
        return int(status_line.split()[1]), (time.perf_counter() - started) * 1000

    async def everyone():
        return await asyncio.gather(*(asyncio.wait_for(one(*p), timeout) for p in prepared),
                                    return_exceptions=True)

    started = time.perf_counter()
    results = asyncio.run(everyone())
    wall = time.perf_counter() - started
    statuses, latencies, exceptions = {}, [], []
    for result in results:
        if isinstance(result, BaseException):
            exceptions.append(f"{type(result).__name__}: {result}")
            continue
        status, elapsed = result
        statuses[status] = statuses.get(status, 0) + 1
        latencies.append(elapsed)
    return {**_race_figures(len(prepared), statuses, latencies, exceptions, wall), "client": "asyncio"}


def places_race(base_url, *, name, path, body, capacity_id, places, confirmed_rows, reset=None,
                racers=200, prefix="bench-rider-"):
    """The booking race every plugin runs: ``racers`` members (``<prefix><n>``) POST ``body`` to
    ``path`` at once for a capacity of ``places`` (waiting list off, so exactly ``places`` are
    answered 201 and the rest 409 ``full``). ``reset()`` clears the previous run's rows and
    ``confirmed_rows()`` counts this run's; the capacity row is reset here. The figures of
    :func:`race`, plus what the database agrees to (``db_confirmed``, ``db_taken``) and ``ok``.
    ``name`` may use ``{racers}`` and ``{places}``."""
    from django.db import connection

    from core.models import Capacity
    from members.models import User

    if reset is not None:
        reset()
    Capacity.objects.filter(pk=capacity_id).update(taken=0, total=places)
    tokens = session_tokens(User.objects.filter(username__startswith=prefix).order_by("pk")[:racers])
    connection.close()  # the server's workers, not this process, hold connections during the race
    url = f"{base_url}{path}"
    figures = race_http([("POST", url, body, {"X-Session-Token": token}) for token in tokens])
    rows = confirmed_rows()
    taken = Capacity.objects.get(pk=capacity_id).taken
    connection.close()
    confirmed = figures["statuses"].get(201, 0)
    figures.update(
        name=name.format(racers=len(tokens), places=places),
        confirmed=confirmed, expected=places, db_confirmed=rows, db_taken=taken,
        refused_full=figures["statuses"].get(409, 0),
        ok=confirmed == rows == taken == places and figures["errors_5xx"] == 0,
    )
    return figures


def session_tokens(users):
    """App session tokens (allauth ``X-Session-Token``) for ``users``, without logging in over HTTP.

    Logging 200 racers in through the API would trip allauth's rate limits; a token is the key
    of an authenticated session, so the harness creates those sessions directly.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    tokens = []
    for user in users:
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        tokens.append(session.session_key)
    return tokens


def data_path(name):
    """A file under the bench var directory, for data a setup() hands to its race."""
    base = Path(os.environ.get("FENGCHAO_VAR_DIR", Path(__file__).resolve().parent.parent / "var" / "bench"))
    base.mkdir(parents=True, exist_ok=True)
    return base / f"bench-{name}.json"


def save(name, data):
    data_path(name).write_text(jsonlib.dumps(data, ensure_ascii=False, indent=1))


def load(name, default=None):
    path = data_path(name)
    return jsonlib.loads(path.read_text()) if path.exists() else default


def ensure_members(prefix, count, display_name, kind):
    """``count`` members named ``<prefix><n>`` (made once, without passwords: the races make
    session tokens directly)."""
    from members.models import User

    existing = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    new_users = [User(username=f"{prefix}{n}", display_name=f"{display_name}{n}", kind=kind)
                 for n in range(count) if f"{prefix}{n}" not in existing]
    for user in new_users:
        user.set_unusable_password()
    User.objects.bulk_create(new_users)
