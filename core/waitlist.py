"""Waiting lists, shared by every plugin that queues people for a full offer (programs, volunteers).

A queue is any queryset of rows with a ``position`` (1, 2, 3 ... in arrival order). Callers hold
the capacity lock of what the queue waits for (``core.capacity.lock``) while they use these, so
two promotions cannot hand the same free place to two people and "you are number N" stays true.
"""

from django.db.models import F, Max


def next_position(queue) -> int:
    """The position a newcomer gets at the end of ``queue``."""
    return (queue.aggregate(last=Max("position"))["last"] or 0) + 1


def close_gap(queue, position: int | None) -> int:
    """Move everyone behind ``position`` one place up (someone left or was promoted)."""
    if not position:
        return 0
    return queue.filter(position__gt=position).update(position=F("position") - 1)


def head(queue, count: int) -> list:
    """The first ``count`` people in the queue, locked, in order."""
    if count <= 0:
        return []
    return list(queue.select_for_update(of=("self",)).order_by("position", "pk")[:count])


def promote(queue, free: int, promote_one) -> list:
    """Give ``free`` places to the head of ``queue``: ``promote_one(row)`` claims the place,
    writes the row, audits and notifies; returns the rows promoted, first come first served."""
    promoted = []
    for row in head(queue, free):
        promote_one(row)
        promoted.append(row)
    return promoted
