"""The "service rendered" contract: how any plugin credits a member's volunteer hours.

A plugin whose members serve others (the canteen's delivery volunteers, a station's duty rota)
calls :func:`credit` when the service is on record. It never imports the volunteers plugin: the
plugin that keeps an hours ledger registers a handler here from its ``ready()``. With no handler
registered (the volunteers plugin is not enabled), :func:`credit` does nothing, so nothing breaks.

Handlers must be idempotent on ``source_key``: the same delivery recorded twice, or a task run
again, credits once. Each handler runs in a savepoint of the caller's transaction: the credit
commits or rolls back with the record it is for, and a failing handler is logged, never turns the
caller's change into an error.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceRendered:
    #: The member (a user id) who served.
    member_id: int
    #: What was done, in words people read in their hours ("送餐上门 · 青石社区长者食堂").
    activity: str
    #: When it was done; ``end`` after ``start``.
    start: datetime
    end: datetime
    #: Minutes to credit (at most the span between start and end).
    minutes: int
    #: Unique per piece of service across all plugins: "<plugin>.<kind>.<id>".
    source_key: str
    #: Optional community (a ``core.Community`` id) the service was for, for reports.
    community_id: int | None = None
    #: Optional counted outputs ({"meals delivered": 1}).
    outputs: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.minutes <= 0:
            raise ValueError("a credit needs a positive number of minutes")
        if self.end <= self.start:
            raise ValueError("a credit must end after it starts")
        if self.minutes > (self.end - self.start).total_seconds() / 60 + 0.5:
            raise ValueError("a credit cannot hold more minutes than its span")
        if not self.source_key:
            raise ValueError("a credit needs a source key")


_handlers = []


def register(handler):
    """Register ``handler(event: ServiceRendered)``; registering the same one twice is a no-op."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def unregister(handler):
    if handler in _handlers:
        _handlers.remove(handler)


def handlers() -> tuple:
    return tuple(_handlers)


def credit(*, member, activity, start, end, minutes, source_key, community=None, outputs=None) -> list:
    """Tell every registered ledger that ``member`` rendered service; returns what the handlers
    returned (their ledger entries; empty when no ledger is enabled)."""
    event = ServiceRendered(
        member_id=getattr(member, "pk", member), activity=str(activity)[:200], start=start, end=end,
        minutes=int(minutes), source_key=source_key, community_id=getattr(community, "pk", community),
        outputs=dict(outputs or {}),
    )
    results = []
    for handler in _handlers:
        try:
            with transaction.atomic():
                results.append(handler(event))
        except Exception:
            logger.exception("crediting %s to member %s failed in %r", source_key, event.member_id, handler)
    return results
