"""core.capacity: claim/release semantics, transactions, lock timeouts and races.

The races use real threads, each with its own database connection: on PostgreSQL against the
test database (run with DATABASE_URL=postgres://...), on SQLite against a scratch database file
opened with the project's own connection options (WAL, BEGIN IMMEDIATE).
"""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import override_settings

from core import capacity
from core.capacity import CapacityError
from core.errors import Busy
from core.models import Capacity

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)

RACERS = 50
PLACES = 10


def atomic_claim(key, quantity=1):
    with transaction.atomic():
        return capacity.claim(key, quantity)


# --- semantics -----------------------------------------------------------------------------


def test_claim_takes_places_until_full_then_refuses(db):
    capacity.define("class:1", 3)
    with transaction.atomic():
        assert capacity.claim("class:1", 2).remaining == 1
        with pytest.raises(CapacityError) as not_enough:
            capacity.claim("class:1", 2)
        assert not_enough.value.code == "not_enough"
        assert not_enough.value.status == 409
        assert capacity.claim("class:1").remaining == 0
        with pytest.raises(CapacityError) as full:
            capacity.claim("class:1")
        assert full.value.code == "full"
        assert full.value.extra == {"key": "class:1", "remaining": 0}
    assert Capacity.objects.get(key="class:1").taken == 3


def test_release_gives_places_back_never_below_zero(db, caplog):
    capacity.define("shift:1", 4)
    with transaction.atomic():
        capacity.claim("shift:1", 3)
        assert capacity.release("shift:1").taken == 2
        assert not caplog.records
        assert capacity.release("shift:1", 5).taken == 0
    assert Capacity.objects.get(key="shift:1").taken == 0
    # Releasing more than was taken means someone's books are wrong: operators hear of it.
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "capacity shift:1: asked to release 5, only 2 taken"]


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_must_be_positive(db, quantity):
    capacity.define("menu:1", 5)
    with transaction.atomic():
        for action in (capacity.claim, capacity.release):
            with pytest.raises(CapacityError) as error:
                action("menu:1", quantity)
            assert (error.value.code, error.value.status) == ("invalid_quantity", 422)


def test_unknown_key_is_a_clear_error(db):
    with transaction.atomic(), pytest.raises(CapacityError) as error:
        capacity.claim("nope")
    assert (error.value.code, error.value.status) == ("unknown", 404)


def test_claim_on_rows_already_locked_takes_them_without_locking_again(db, django_assert_num_queries):
    """A service that decided on the locked counts first (a waiting list) claims on those rows:
    one UPDATE per key, not a second lock and read; the refusal is the same."""
    capacity.define("class:locked", 1)
    capacity.define("class:other", 5)
    with transaction.atomic():
        rows = capacity.lock_many(["class:locked"])
        with django_assert_num_queries(1):
            taken = capacity.claim_many({"class:locked": 1}, locked=rows)
        assert taken["class:locked"].remaining == 0
        with pytest.raises(CapacityError) as full:
            capacity.claim_many({"class:locked": 1}, locked=rows)
        assert full.value.code == "full"
        # A key the caller did not lock is locked as usual.
        assert capacity.claim_many({"class:other": 2}, locked=rows)["class:other"].remaining == 3
    assert Capacity.objects.get(key="class:locked").taken == 1


def test_claim_many_is_all_or_nothing(db):
    capacity.define("meal:mon", 5)
    capacity.define("meal:tue", 1)
    with transaction.atomic():
        with pytest.raises(CapacityError) as error:
            capacity.claim_many({"meal:mon": 2, "meal:tue": 2})
        assert error.value.code == "not_enough"
        assert error.value.extra["key"] == "meal:tue"
        assert Capacity.objects.get(key="meal:mon").taken == 0
        rows = capacity.claim_many({"meal:tue": 1, "meal:mon": 2})
    assert {key: row.taken for key, row in rows.items()} == {"meal:mon": 2, "meal:tue": 1}


def test_define_is_idempotent_and_refuses_to_shrink_below_taken(db):
    capacity.define("job:1", 5)
    capacity.define("job:1", 5)
    assert Capacity.objects.filter(key="job:1").count() == 1
    atomic_claim("job:1", 3)
    with pytest.raises(CapacityError) as error:
        capacity.define("job:1", 2)
    assert error.value.code == "below_taken"
    assert capacity.define("job:1", 8).total == 8
    assert Capacity.objects.get(key="job:1").remaining == 5


def test_a_rolled_back_claim_gives_the_place_back(db):
    capacity.define("class:2", 1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        capacity.claim("class:2")
        1 / 0  # noqa: B018 -- the booking that goes with the claim fails
    assert Capacity.objects.get(key="class:2").taken == 0
    assert atomic_claim("class:2").taken == 1


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction():
    capacity.define("class:3", 2)
    for action in (capacity.claim, capacity.release, capacity.lock):
        with pytest.raises(RuntimeError, match="transaction.atomic"):
            action("class:3")
    assert Capacity.objects.get(key="class:3").taken == 0


def test_lock_errors_become_busy_other_errors_pass_through():
    with pytest.raises(Busy) as busy, capacity.busy_on_lock_timeout():
        raise OperationalError("database is locked")
    assert (busy.value.code, busy.value.status) == ("busy", 503)
    with pytest.raises(OperationalError), capacity.busy_on_lock_timeout():
        raise OperationalError("no such table: core_capacity")


# --- races -----------------------------------------------------------------------------------


def race(n, work, *, connect=None):
    """Run ``work()`` in ``n`` threads released together; return their outcomes.

    Each outcome is "claimed", an error code ("full", "busy") or the exception's class name.
    ``connect()``, if given, returns the connection a thread should use as "default".
    """
    barrier = threading.Barrier(n)
    outcomes = []
    lock = threading.Lock()

    def run():
        if connect is not None:
            connections["default"] = connect()
        try:
            barrier.wait()
            try:
                work()
                outcome = "claimed"
            except (CapacityError, Busy) as exc:
                outcome = exc.code
            except Exception as exc:  # noqa: BLE001 -- every other failure is a finding
                outcome = type(exc).__name__
            with lock:
                outcomes.append(outcome)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slow_race_window(monkeypatch):
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(capacity, "_race_window", lambda: time.sleep(0.02))


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_race_gives_exactly_the_places_there_are():
    capacity.define("race", PLACES)
    outcomes = race(RACERS, lambda: atomic_claim("race"))
    assert outcomes.count("claimed") == PLACES, outcomes
    assert outcomes.count("full") == RACERS - PLACES, outcomes
    assert Capacity.objects.get(key="race").taken == PLACES


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_race_control_without_the_lock_overbooks(monkeypatch):
    """The control: the same race without FOR UPDATE confirms more claims than places."""
    slow_race_window(monkeypatch)
    capacity.define("race", PLACES)
    outcomes = race(RACERS, lambda: atomic_claim("race"))
    assert outcomes.count("claimed") > PLACES, outcomes
    # Lost updates: the counter no longer matches the claims that were confirmed.
    assert Capacity.objects.get(key="race").taken < outcomes.count("claimed")


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_multi_key_claims_in_opposite_orders_do_not_deadlock():
    """Half the racers ask for (mon, tue), half for (tue, mon): keys are locked sorted, so no
    deadlock (which PostgreSQL would break by failing one side with 40P01, i.e. Busy)."""
    capacity.define("meal:mon", 100)
    capacity.define("meal:tue", 100)

    def book(i):
        order = ["meal:mon", "meal:tue"] if i % 2 else ["meal:tue", "meal:mon"]
        with transaction.atomic():
            capacity.claim_many(dict.fromkeys(order, 1))

    counter = iter(range(RACERS))
    outcomes = race(20, lambda: book(next(counter)))
    assert outcomes == ["claimed"] * 20
    assert {c.key: c.taken for c in Capacity.objects.filter(key__startswith="meal:")} == {
        "meal:mon": 20, "meal:tue": 20,
    }


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_lock_timeout_is_busy():
    capacity.define("held", 5)
    locked, done = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                capacity.lock("held")
                locked.set()
                done.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        with override_settings(FENGCHAO_LOCK_TIMEOUT_MS=200), pytest.raises(Busy) as busy:
            atomic_claim("held")
        assert time.monotonic() - started < 2
        assert busy.value.status == 503
    finally:
        done.set()
        holder.join(10)
    # Once the holder is gone the claim goes through, and the timeout did not leak.
    assert atomic_claim("held").taken == 1


def scratch_sqlite(tmp_path, transaction_mode, **options):
    """A connection factory for a scratch SQLite file with the project's connection options."""
    settings_dict = dict(connections.settings["default"])
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite race runs when the suite runs on SQLite")
    options = {**settings_dict.get("OPTIONS", {}), "transaction_mode": transaction_mode, **options}
    settings_dict.update(NAME=str(tmp_path / "race.sqlite3"), OPTIONS=options, CONN_MAX_AGE=0)

    def connect():
        return SQLiteWrapper(dict(settings_dict), "default")

    setup = connect()
    with setup.schema_editor() as editor:
        editor.create_model(Capacity)
    with setup.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_capacity (key, total, taken) VALUES (%s, %s, 0)", ["race", PLACES]
        )
    setup.close()

    def taken():
        check = connect()
        with check.cursor() as cursor:
            cursor.execute("SELECT taken FROM core_capacity WHERE key = %s", ["race"])
            (value,) = cursor.fetchone()
        check.close()
        return value

    return connect, taken


@pytest.mark.parametrize("locking", [True, False], ids=["capacity-lock", "no-capacity-lock"])
def test_sqlite_race_gives_exactly_the_places_there_are(db, tmp_path, monkeypatch, locking):
    """With BEGIN IMMEDIATE (the project's setting) writers queue: exactly 10 claims, no errors.

    Run also with the capacity lock off and the read-to-write window widened: on SQLite it is
    the transaction mode, not FOR UPDATE (which SQLite ignores), that serialises the claim.
    """
    connect, taken = scratch_sqlite(tmp_path, "IMMEDIATE")
    if not locking:
        slow_race_window(monkeypatch)
    outcomes = race(RACERS, lambda: atomic_claim("race"), connect=connect)
    assert outcomes.count("claimed") == PLACES, outcomes
    assert outcomes.count("full") == RACERS - PLACES, outcomes
    assert taken() == PLACES


def test_sqlite_race_control_deferred_transactions_fail(db, tmp_path, monkeypatch):
    """The control: with SQLite's default DEFERRED transactions the same race goes wrong.

    Each transaction reads under a shared lock and then tries to upgrade to a write lock, which
    SQLite refuses when another writer got there first ("database is locked", no waiting):
    members would see errors instead of a clean "full".
    """
    slow_race_window(monkeypatch)
    connect, taken = scratch_sqlite(tmp_path, "DEFERRED")
    outcomes = race(RACERS, lambda: atomic_claim("race"), connect=connect)
    failures = [o for o in outcomes if o not in ("claimed", "full")]
    assert failures or outcomes.count("claimed") > PLACES, outcomes
    assert taken() <= PLACES


def test_sqlite_lock_timeout_is_busy(db, tmp_path):
    """A writer holding the database past the busy timeout: the claim answers Busy (503)."""
    connect, taken = scratch_sqlite(tmp_path, "IMMEDIATE", timeout=0.2)
    locked, done = threading.Event(), threading.Event()

    def hold_the_database():
        connections["default"] = connect()
        try:
            with transaction.atomic():  # BEGIN IMMEDIATE: the write lock, held
                capacity.lock("race")
                locked.set()
                done.wait(10)
        finally:
            connections["default"].close()

    outcome = []

    def claim_while_held():
        connections["default"] = connect()
        try:
            started = time.monotonic()
            with pytest.raises(Busy), capacity.atomic():
                capacity.claim("race")
            outcome.append(time.monotonic() - started)
        finally:
            connections["default"].close()

    holder = threading.Thread(target=hold_the_database)
    holder.start()
    try:
        assert locked.wait(10)
        claimer = threading.Thread(target=claim_while_held)
        claimer.start()
        claimer.join(10)
    finally:
        done.set()
        holder.join(10)
    assert len(outcome) == 1 and outcome[0] < 2, outcome
    assert taken() == 0


@override_settings(ROOT_URLCONF="bench.urls")
def test_over_http_full_is_409_with_its_code(client, db):
    """The bench's claim endpoint (bench.urls only): what a booking race sees."""
    capacity.define("bench:http", 1)
    first = client.post("/bench/claim/http/")
    assert (first.status_code, first.json()) == (200, {"taken": 1, "total": 1})
    second = client.post("/bench/claim/http/")
    assert (second.status_code, second.json()) == (409, {"code": "full"})
    assert client.get("/bench/bare/").json()["ok"] is True
