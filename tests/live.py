"""The race harness of every plugin's concurrency tests (pretix's are the model): service calls
from several threads, each on its own database connection, released at the same instant
(:func:`threaded`); and the same over real HTTP against the live test server (:func:`call`,
:func:`together`)."""

import json
import threading
import urllib.error
import urllib.request


def threaded(work, items, *, timeout=60):
    """``work(item)`` for every item, each in a thread of its own, all released at once; the
    outcomes in the order they finished: what ``work`` returned, the ``code`` of a
    :class:`core.errors.DomainError` it raised (``"full"``, ``"duplicate"``), or ``"error: ..."``
    for anything else (a crash is an outcome the test reports, not a hang). Each thread closes
    its database connection, so PostgreSQL sees as many sessions as there are racers."""
    from django.db import connections

    from core.errors import DomainError

    barrier = threading.Barrier(len(items))
    outcomes, lock = [], threading.Lock()

    def run(item):
        try:
            barrier.wait()
            try:
                result = work(item)
            except DomainError as exc:
                result = exc.code
            except Exception as exc:  # noqa: BLE001 - any crash is an outcome the test reports
                result = f"error: {exc!r}"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes


def call(url, method="GET", body=None, token=None):
    """One request (JSON body, allauth ``X-Session-Token``); (status, decoded JSON body)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Session-Token"] = token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the live server
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def together(url, tokens, body=None):
    """POST ``body`` (default ``{}``) to ``url`` once per token, all released at the same instant;
    the (status, body)s sorted by status. A request that crashes is reported as (None, repr)."""
    barrier = threading.Barrier(len(tokens))
    results, lock = [], threading.Lock()

    def run(token):
        barrier.wait()
        try:
            outcome = call(url, "POST", {} if body is None else body, token)
        except Exception as exc:  # noqa: BLE001 - a crash is an outcome the test reports
            outcome = (None, repr(exc))
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(results, key=lambda r: (r[0] is None, r[0] or 0))
