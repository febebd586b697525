"""Limited capacity, shared by every plugin.

``claim`` and ``release`` must run inside ``transaction.atomic`` together with the rows they
guard (a registration, a booking), so a claim and its record commit or roll back as one. They
refuse to run outside a transaction: a lock taken in autocommit mode would be released at once.

On PostgreSQL a claim is one conditional ``UPDATE ... RETURNING`` (the row is locked by it, from
then to the commit; callers claim as late in their transaction as they can), and :func:`lock`
reads a row with ``SELECT ... FOR UPDATE``, both under a ``lock_timeout``
(``FENGCHAO_LOCK_TIMEOUT_MS``); on SQLite the project opens write transactions with
``BEGIN IMMEDIATE`` (see settings), which serialises writers on the whole database, so the row
read inside the transaction is already current. Either way the count is re-read after the lock
is held, several keys are locked in a stable (sorted) order so two claims cannot deadlock, and a
lock that cannot be had in time becomes :class:`core.errors.Busy` (503, "try again").

Services write the audit entry (``core.audit.record(..., "fengchao.claim")``) on their own
object (the registration, the order), since only they know who acted and through which channel.
"""

import logging
from collections.abc import Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.errors import Busy, DomainError
from core.models import Capacity

logger = logging.getLogger(__name__)


class CapacityError(DomainError):
    messages = {
        "full": _("No places are left."),
        "not_enough": _("Not enough places are left for this request."),
        "invalid_quantity": _("The quantity must be at least 1."),
        "below_taken": _("Capacity cannot be lower than the places already taken."),
        "unknown": _("This offer does not exist."),
    }


#: Tests switch this off to show that the race is real without the lock (the control case).
LOCKING = True

# SQLSTATEs that mean "could not get the lock in time": lock_not_available, deadlock_detected.
_BUSY_SQLSTATES = {"55P03", "40P01"}


def define(key: str, total: int) -> Capacity:
    """Create the capacity ``key`` or resize it. Shrinking below what is taken is refused.

    Safe to call repeatedly (demo seeds, admin saves): an unchanged total writes nothing.
    """
    if total < 0:
        raise CapacityError("invalid_quantity", status=422)
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


def is_busy_error(exc: BaseException) -> bool:
    """True when a database error means a lock could not be had in time (retry later)."""
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate in _BUSY_SQLSTATES
    # SQLite: "database is locked" / "database table is locked" after the busy timeout.
    return "locked" in str(exc).lower()


@contextmanager
def busy_on_lock_timeout():
    """Turn a lock timeout raised inside the block into :class:`Busy`.

    On SQLite the wait happens at ``BEGIN IMMEDIATE``, i.e. when ``transaction.atomic()`` is
    entered, so a service that wants a clean 503 there wraps its atomic block in this too.
    """
    try:
        yield
    except OperationalError as exc:
        if is_busy_error(exc):
            raise Busy() from exc
        raise


@contextmanager
def atomic(using=None, savepoint=True, durable=False):
    """``transaction.atomic`` that answers :class:`Busy` when the database stays locked.

    Use it for a booking's outermost block: on SQLite the write lock is taken at ``BEGIN
    IMMEDIATE`` when the block is entered, before :func:`claim` could translate the error.
    """
    with busy_on_lock_timeout(), transaction.atomic(using=using, savepoint=savepoint, durable=durable):
        yield


def _require_transaction():
    if not connection.in_atomic_block:
        raise RuntimeError(
            "core.capacity must run inside transaction.atomic(), together with the rows it guards"
        )


def _set_lock_timeout():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL: it ends with the transaction. Unlike SET it
            # takes a bound parameter, which server-side binding requires.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{int(settings.FENGCHAO_LOCK_TIMEOUT_MS)}ms"],
            )


def lock_many(keys) -> dict[str, Capacity]:
    """Lock the capacity rows ``keys`` in sorted order and return them by key.

    Only valid inside a transaction. The rows read here are current: on PostgreSQL because
    ``FOR UPDATE`` waits for and then re-reads the latest committed version, on SQLite because
    the write lock was taken at ``BEGIN IMMEDIATE``.
    """
    _require_transaction()
    keys = sorted(set(keys))
    with busy_on_lock_timeout():
        _set_lock_timeout()
        queryset = Capacity.objects.filter(key__in=keys).order_by("key")
        if LOCKING:
            queryset = queryset.select_for_update()
        rows = {row.key: row for row in queryset}
    missing = [key for key in keys if key not in rows]
    if missing:
        raise CapacityError("unknown", status=404, keys=missing)
    return rows


def lock(key: str) -> Capacity:
    """Lock and return the capacity row ``key``; only valid inside a transaction."""
    return lock_many([key])[key]


def claim_many(quantities: Mapping[str, int], *, locked: Mapping[str, Capacity] | None = None) -> dict[str, Capacity]:
    """Take places of several keys at once (all or nothing), e.g. a week's canteen order.

    Raises ``CapacityError`` ("full" / "not_enough", with ``key``) if any key lacks room; nothing
    is taken then. The caller's ``transaction.atomic`` makes it all-or-nothing with its records.
    ``locked``: the rows :func:`lock_many` returned earlier in this same transaction (a service
    that had to decide on the locked counts first); they are still locked and current, so they
    are not locked and read a second time.
    """
    for quantity in quantities.values():
        if quantity < 1:
            raise CapacityError("invalid_quantity", status=422)
    if locked is not None and set(quantities) <= set(locked):
        _require_transaction()
        rows = {key: locked[key] for key in sorted(quantities)}
    elif LOCKING:
        return _claim_in_place(quantities)
    else:
        rows = lock_many(quantities)
    for key, capacity in rows.items():
        quantity = quantities[key]
        if capacity.taken + quantity > capacity.total:
            raise CapacityError(
                "full" if capacity.remaining == 0 else "not_enough",
                key=key, remaining=capacity.remaining,
            )
    for key, capacity in rows.items():
        quantity = quantities[key]
        if LOCKING:
            Capacity.objects.filter(pk=capacity.pk).update(taken=F("taken") + quantity)
            capacity.taken += quantity
        else:
            # Control path for the race test: a plain read-modify-write that loses updates.
            _race_window()
            capacity.taken += quantity
            capacity.save(update_fields=["taken"])
    return rows


def _claim_in_place(quantities: Mapping[str, int]) -> dict[str, Capacity]:
    """Each key in sorted order: one conditional ``UPDATE ... RETURNING`` that takes the places
    only if they are there. The row is locked by that UPDATE (PostgreSQL waits for a concurrent
    claim, then re-checks the condition on the committed row), so a claim holds its lock from
    here to the caller's commit and costs one round trip, not a locking read and a write. When a
    key lacks room the keys already taken are given back (nothing is taken then) and the row is
    read to say why."""
    _require_transaction()
    table = connection.ops.quote_name(Capacity._meta.db_table)
    key_column, total, taken = (connection.ops.quote_name(Capacity._meta.get_field(name).column)
                                for name in ("key", "total", "taken"))
    claim_sql = (f"UPDATE {table} SET {taken} = {taken} + %s WHERE {key_column} = %s "  # noqa: S608 -- quoted names from the model, values bound
                 f"AND {taken} + %s <= {total} RETURNING id, {total}, {taken}")
    done = {}
    with busy_on_lock_timeout():
        _set_lock_timeout()
        with connection.cursor() as cursor:
            for key in sorted(quantities):
                quantity = quantities[key]
                cursor.execute(claim_sql, [quantity, key, quantity])
                row = cursor.fetchone()
                if row is not None:
                    done[key] = Capacity(id=row[0], key=key, total=row[1], taken=row[2])
                    continue
                for capacity in done.values():
                    Capacity.objects.filter(pk=capacity.pk).update(taken=F("taken") - quantities[capacity.key])
                current = Capacity.objects.filter(key=key).first()
                if current is None:
                    raise CapacityError("unknown", status=404, keys=[key])
                raise CapacityError("full" if current.remaining == 0 else "not_enough",
                                    key=key, remaining=current.remaining)
    return done


def claim(key: str, quantity: int = 1) -> Capacity:
    """Take ``quantity`` places of ``key`` or raise ``CapacityError`` (full / not_enough).

    Raises :class:`core.errors.Busy` when the row lock cannot be had within the lock timeout.
    """
    return claim_many({key: quantity})[key]


def release(key: str, quantity: int = 1) -> Capacity:
    """Give back ``quantity`` places of ``key`` (never below zero)."""
    if quantity < 1:
        raise CapacityError("invalid_quantity", status=422)
    capacity = lock(key)
    give_back = min(quantity, capacity.taken)
    if give_back < quantity:
        # The caller's books and the capacity row disagree (a place released twice, or a unit that
        # never claimed one). Don't fail the member's cancellation; make it visible to operators.
        logger.error("capacity %s: asked to release %s, only %s taken", key, quantity, capacity.taken)
    if give_back:
        Capacity.objects.filter(pk=capacity.pk).update(taken=F("taken") - give_back)
        capacity.taken -= give_back
    return capacity


def _race_window():
    """Hook for tests: widen the gap between read and write when locking is off."""
