"""Limited capacity, shared by every plugin.

``claim`` and ``release`` must run inside ``transaction.atomic`` together with the rows they
guard (a registration, a booking), so a claim and its record commit or roll back as one.

On PostgreSQL the capacity row is locked with ``SELECT ... FOR UPDATE`` under a ``lock_timeout``;
on SQLite the project opens write transactions with ``BEGIN IMMEDIATE`` (see settings), which
serialises writers on the whole database. Either way the count is re-read after the lock is held,
and a lock that cannot be had in time becomes :class:`core.errors.Busy`.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.errors import Busy, DomainError
from core.models import Capacity


class CapacityError(DomainError):
    messages = {
        "full": _("No places are left."),
        "not_enough": _("Not enough places are left for this request."),
        "invalid_quantity": _("The quantity must be at least 1."),
    }


#: Tests switch this off to show that the race is real without the lock (the control case).
LOCKING = True


def define(key: str, total: int) -> Capacity:
    """Create or resize the capacity ``key``. Shrinking below what is taken is refused."""
    capacity, created = Capacity.objects.get_or_create(key=key, defaults={"total": total})
    if not created and capacity.total != total:
        with transaction.atomic():
            capacity = lock(key)
            if total < capacity.taken:
                raise CapacityError(
                    "below_taken",
                    _("Capacity cannot be lower than the %(taken)s places already taken.")
                    % {"taken": capacity.taken},
                )
            capacity.total = total
            capacity.save(update_fields=["total"])
    return capacity


@contextmanager
def _lock_timeout():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.FENGCHAO_LOCK_TIMEOUT_MS}ms"])
    try:
        yield
    except OperationalError as exc:
        message = str(exc).lower()
        if "lock" in message or "timeout" in message:
            raise Busy() from exc
        raise


def lock(key: str) -> Capacity:
    """Lock and return the capacity row ``key``; only valid inside a transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("capacity.lock() must run inside transaction.atomic()")
    with _lock_timeout():
        queryset = Capacity.objects.filter(key=key)
        if LOCKING:
            queryset = queryset.select_for_update()
        return queryset.get()


def claim(key: str, quantity: int = 1) -> Capacity:
    """Take ``quantity`` places of ``key`` or raise ``CapacityError`` (full / not_enough)."""
    if quantity < 1:
        raise CapacityError("invalid_quantity", status=422)
    capacity = lock(key)
    if capacity.taken + quantity > capacity.total:
        raise CapacityError("full" if capacity.remaining == 0 else "not_enough")
    if LOCKING:
        Capacity.objects.filter(pk=capacity.pk).update(taken=F("taken") + quantity)
        capacity.taken += quantity
    else:
        # Control path for the race test: a plain read-modify-write that loses updates.
        _race_window()
        capacity.taken += quantity
        capacity.save(update_fields=["taken"])
    return capacity


def release(key: str, quantity: int = 1) -> Capacity:
    """Give back ``quantity`` places of ``key`` (never below zero)."""
    capacity = lock(key)
    give_back = min(quantity, capacity.taken)
    Capacity.objects.filter(pk=capacity.pk).update(taken=F("taken") - give_back)
    capacity.taken -= give_back
    return capacity


def _race_window():
    """Hook for tests: widen the gap between read and write when locking is off."""
