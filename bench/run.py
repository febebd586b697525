#!/usr/bin/env python
"""``make bench``: serve the demo under gunicorn and measure it against a bare Django JSON view.

1. Build the bench database: SQLite at var/bench/fengchao.sqlite3 (fresh each run unless
   --keep-db), or the PostgreSQL database in DATABASE_URL when it is set; migrate, run
   ``seed_demo`` and every ``bench/scenarios/*.py`` module's ``setup(stdout)``.
2. Serve it with gunicorn (2 sync workers, DEBUG off, persistent connections,
   FENGCHAO_URLCONF=bench.urls, --no-control-socket).
3. Measure requests/s, p50 and p95 of the bare view and of every named endpoint with wrk (or a
   multi-process Python generator when wrk is missing), in interleaved rounds, and print each as
   a ratio to the bare view.
4. Run every scenario module's RACES against the live server.
5. Write bench/results/latest.json.

Run ``.venv/bin/python bench/run.py --help`` for the options (duration, rounds, connections...).
"""

import argparse
import contextlib
import hashlib
import importlib
import json
import logging
import multiprocessing
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
RESULTS = BENCH_DIR / "results"
LUA = BENCH_DIR / "wrk_report.lua"
BARE = {"name": "bare Django JSON view", "path": "/bench/bare/", "module": "bench", "headers": {}}
NAMED = [
    ("API: pages listing", "/api/v3/pages/"),
    ("API: plugins", "/api/v3/plugins/"),
    ("home page", "/"),
]


def parse_args(argv=None):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", 3)),
                        help="seconds per measurement (env BENCH_DURATION, default 3)")
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", 2)),
                        help="interleaved rounds over all endpoints (env BENCH_ROUNDS, default 2)")
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", 1)),
                        help="warm-up seconds per endpoint, not measured (default 1)")
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", 4)),
                        help="concurrent connections of the load generator (default 4)")
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", 2)),
                        help="gunicorn sync workers (default 2)")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default=env("BENCH_LOADGEN", "auto"),
                        help="load generator: wrk if installed (auto), or the Python fallback")
    parser.add_argument("--only", default="", help="measure only endpoints whose name or path contains this (or any of a comma list)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default=env("BENCH_DB") or None,
                        help="sqlite (var/bench, the default cache) or postgres (BENCH_DATABASE_URL, "
                             "default postgres://postgres@127.0.0.1:5432/fc_bench, with Redis at BENCH_REDIS_URL, "
                             "default redis://127.0.0.1:6379/1; either started when down and stopped after, "
                             "the database created when missing). Default: DATABASE_URL if set, else sqlite")
    parser.add_argument("--setup-only", action="store_true",
                        help="build the bench database and stop (measure later with --keep-db)")
    parser.add_argument("--keep-db", action="store_true",
                        help="reuse the bench database as the last run (or --setup-only) left it: no "
                             "rebuilding, no seeding, no scenario setup")
    parser.add_argument("--no-races", action="store_true", help="skip the RACES")
    parser.add_argument("--output", default=str(RESULTS / "latest.json"), help="results file")
    return parser.parse_args(argv)


# --- the bench environment and database ------------------------------------------------------

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/fc_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"


class Services:
    """PostgreSQL and Redis for ``--db postgres``: started when they are not answering (as
    .ci/run does), and stopped again at the end if this run started them."""

    def __init__(self):
        self.started_pg = None  # the cluster version this run started
        self.redis = None  # the redis-server process this run started

    @staticmethod
    def _pg_up(parts):
        return subprocess.run(["pg_isready", "-q", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)],
                              check=False).returncode == 0

    def postgres(self, url):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if not shutil.which("pg_isready"):
            raise SystemExit("--db postgres: PostgreSQL's client tools are not installed (pg_isready)")
        if not self._pg_up(parts):
            clusters = sorted(Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
            if not clusters or not shutil.which("pg_ctlcluster"):
                raise SystemExit(f"PostgreSQL is not answering at {parts.hostname}:{parts.port or 5432} "
                                 "and there is no local cluster to start")
            version = clusters[-1].name
            say(f"  starting PostgreSQL {version} (not answering)")
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
            for _ in range(60):
                if self._pg_up(parts):
                    break
                time.sleep(0.5)
            else:
                raise SystemExit("PostgreSQL did not start")
            self.started_pg = version
        # The bench database of its own, created when missing (never dropped: setup is idempotent).
        import psycopg

        name = parts.path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                say(f"  creating the database {name}")
                connection.execute(f'CREATE DATABASE "{name}"')

    def redis_server(self, url):
        from urllib.parse import urlsplit

        import redis

        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 6379
        try:
            redis.Redis(host=host, port=port, socket_connect_timeout=2).ping()
            return
        except redis.RedisError:
            pass
        if not shutil.which("redis-server"):
            raise SystemExit(f"Redis is not answering at {host}:{port} and redis-server is not installed")
        say(f"  starting redis-server on {host}:{port} (not answering)")
        self.redis = subprocess.Popen(
            ["redis-server", "--bind", host, "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(60):
            try:
                redis.Redis(host=host, port=port, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                time.sleep(0.5)
        raise SystemExit("redis-server did not start")

    def stop(self):
        if self.redis is not None and self.redis.poll() is None:
            say("  stopping the redis-server this run started")
            self.redis.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.redis.wait(15)
        if self.started_pg:
            say(f"  stopping PostgreSQL {self.started_pg}, which this run started")
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.started_pg, "main", "stop"], check=False)


def choose_database(args, services):
    """``--db``: set DATABASE_URL and REDIS_URL for this run (and its server) and make sure the
    services answer. Without ``--db`` the environment decides (DATABASE_URL, REDIS_URL)."""
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
    if args.db == "postgres" or (args.db is None and os.environ.get("DATABASE_URL")):
        # Its own directory (media, the data setup hands to the races, logs): a SQLite run
        # rebuilds var/bench and would delete the images a kept PostgreSQL database points at.
        global VAR
        VAR = ROOT / "var" / "bench-postgres"
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_PG
        os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS
        services.postgres(os.environ["DATABASE_URL"])
        services.redis_server(os.environ["REDIS_URL"])


def cache_label():
    url = os.environ.get("REDIS_URL")
    if not url:
        return "locmem (per process; versions stamp in a file)"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"redis://{parts.hostname}:{parts.port or 6379}{parts.path}"


def bench_environment():
    """Environment shared by the harness process (setup, races) and the gunicorn server."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "FENGCHAO_VAR_DIR": str(VAR),
        "MEDIA_ROOT": str(VAR / "media"),
        "FENGCHAO_URLCONF": "bench.urls",
        "DEBUG": "0",
        # DEBUG off refuses the published development key; a fresh one per run.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CONN_MAX_AGE": "600",
        "STATIC_MANIFEST": "0",
        # Setup (seeding, scenario data) runs its tasks at once; the server queues them
        # (start_server), as a deployment with a db_worker does.
        "TASKS_BACKEND": "immediate",
        # The seed's e-mails (DEBUG off means SMTP) stay in memory instead of failing to connect.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # 409s and 404s are expected in races; Django's request log would flood the output.
        "LOG_LEVEL": "ERROR",
        # Seeding hashes ~25 demo passwords; PBKDF2 makes that most of a minute. No scenario
        # measures a password login (races mint session tokens: bench.lib.session_tokens).
        "FAST_PASSWORD_HASHER": "1",
        "PYTHONUNBUFFERED": "1",
    }
    return env


def database_label():
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:{(VAR / 'fengchao.sqlite3').relative_to(ROOT)}"
    # Never print a password.
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}{parts.path}"


def migrations_fingerprint():
    """A hash of everything that decides the migrated schema: our migrations and the packages."""
    from importlib.metadata import distributions

    digest = hashlib.sha256(os.environ.get("FENGCHAO_PLUGINS", "<all>").encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


def build_database(args, log):
    """Migrate, seed and run every scenario's setup() in this process. Returns the modules.

    On SQLite a freshly migrated, empty database is kept as var/bench/migrated-<hash>.sqlite3
    and copied for the next run while no migration or package changed: migrating ~300 tables
    takes most of a minute, copying a file does not.
    """
    VAR.mkdir(parents=True, exist_ok=True)
    sqlite = not os.environ.get("DATABASE_URL")
    database = VAR / "fengchao.sqlite3"
    template = VAR / f"migrated-{migrations_fingerprint()}.sqlite3" if sqlite else None
    fresh = sqlite and not (args.keep_db and database.exists())
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (VAR / f"fengchao.sqlite3{suffix}").unlink()
        shutil.rmtree(VAR / "media", ignore_errors=True)
        if template.exists():
            shutil.copyfile(template, database)

    import django
    from django.core.management import call_command, get_commands

    django.setup()
    from django.db import connection, connections

    steps, problems = {}, []
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, stdout=log)
    steps["migrate"] = round(time.perf_counter() - started, 1)
    say(f"  migrated the {connection.vendor} database in {steps['migrate']} s")
    if fresh and not template.exists():
        connections.close_all()  # checkpoints the WAL into the main file
        for old in VAR.glob("migrated-*.sqlite3"):
            old.unlink()
        shutil.copyfile(database, template)

    # --keep-db: the database as the last run left it (seeded, every scenario set up; the races
    # reset their own rows), without seeding it and setting it up again.
    reuse = args.keep_db and (not sqlite or not fresh)
    if reuse:
        steps["seed_demo"] = None
        say(f"  --keep-db: the {'SQLite' if sqlite else 'PostgreSQL'} database as the last run left it "
            "(no seeding, no scenario setup)")
    elif "seed_demo" in get_commands():
        started = time.perf_counter()
        try:
            call_command("seed_demo", stdout=log)
        except Exception as exc:  # noqa: BLE001 -- report it, measure what there is
            problems.append({"module": "seed_demo", "stage": "seed", "error": f"{type(exc).__name__}: {exc}"})
            log.write(traceback.format_exc())
            say(f"  seed_demo FAILED: {type(exc).__name__}: {exc} (see the setup log)")
        steps["seed_demo"] = round(time.perf_counter() - started, 1)
        say(f"  seed_demo in {steps['seed_demo']} s")
    else:
        steps["seed_demo"] = None
        say("  WARNING: no seed_demo command: the bench database has no demo content")

    from core.plugin_discovery import BUILTIN_PLUGINS
    from core.plugins import is_enabled

    modules = []
    for name in scenario_module_names():
        if name in BUILTIN_PLUGINS and not is_enabled(name):
            say(f"  skipped scenarios/{name}.py: the {name} plugin is not enabled (FENGCHAO_PLUGINS)")
            continue
        try:
            module = importlib.import_module(f"bench.scenarios.{name}")
        except Exception as exc:  # noqa: BLE001 -- e.g. the plugin is not enabled
            problems.append({"module": name, "stage": "import", "error": f"{type(exc).__name__}: {exc}"})
            say(f"  skipped scenarios/{name}.py: {type(exc).__name__}: {exc}")
            continue
        setup = None if reuse else getattr(module, "setup", None)
        if setup is not None:
            started = time.perf_counter()
            try:
                setup(log)
            except Exception as exc:  # noqa: BLE001 -- report it, measure the rest
                problems.append({"module": name, "stage": "setup", "error": f"{type(exc).__name__}: {exc}"})
                log.write(traceback.format_exc())
                say(f"  scenarios/{name}.py setup FAILED: {type(exc).__name__}: {exc}")
            else:
                steps[f"setup:{name}"] = round(time.perf_counter() - started, 1)
        modules.append(module)
    say(f"  scenario modules: {', '.join(m.__name__.rsplit('.', 1)[1] for m in modules) or 'none'}")
    if not reuse:
        # Fresh planner statistics for what setup just wrote in bulk, as autovacuum (PostgreSQL)
        # or a deployment's routine ANALYZE would have them: without, PostgreSQL planned even a
        # one-row lookup for milliseconds and chose plans for empty tables.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        steps["analyze"] = round(time.perf_counter() - started, 1)
        say(f"  analyzed in {steps['analyze']} s")
    connections.close_all()
    return modules, steps, problems, connection.vendor


def scenario_module_names():
    return sorted(
        path.stem for path in (BENCH_DIR / "scenarios").glob("*.py") if not path.stem.startswith("_")
    )


def endpoints_from(modules, only):
    endpoints = [{"name": name, "path": path, "module": "core", "headers": {}} for name, path in NAMED]
    for module in modules:
        scenarios = getattr(module, "SCENARIOS", [])
        if callable(scenarios):
            scenarios = scenarios()
        for entry in scenarios:
            name, path, *rest = entry
            endpoints.append({
                "name": name, "path": path, "module": module.__name__.rsplit(".", 1)[1],
                "headers": dict(rest[0]) if rest else {},
            })
    if only:
        wanted = [part for part in only.split(",") if part]
        endpoints = [e for e in endpoints if any(w in e["name"] or w in e["path"] for w in wanted)]
    return endpoints


def count_queries(endpoints):
    """Database queries per request of every endpoint, in this process, after one warm-up request.

    Not a load figure: it says how much of an endpoint's time is likely the database's, and a
    count that grows with the page size shows up here first.
    """
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    # 404s and 409s are reported in the table; Django's request log would only repeat them.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    for endpoint in [BARE, *endpoints]:
        try:
            client.get(endpoint["path"], headers=endpoint["headers"])
            with CaptureQueriesContext(connection) as queries:
                client.get(endpoint["path"], headers=endpoint["headers"])
            endpoint["queries"] = len(queries.captured_queries)
        except Exception as exc:  # noqa: BLE001 -- the HTTP status check reports the failure
            endpoint["queries"] = None
            endpoint["queries_error"] = f"{type(exc).__name__}: {exc}"
    connections.close_all()


# --- the server --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, workers, env):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn", "config.wsgi:application",
        "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "--backlog", "2048", "--timeout", "60",
        "--log-level", "warning",
    ]
    # The server's own output (Django's request log: every 409 of a race) goes to a file.
    server_log = open(VAR / "server.log", "w")  # noqa: SIM115 -- lives as long as the server
    process = subprocess.Popen(
        # Tasks are queued in the database as in production (docs/operations.md: a db_worker runs
        # them): a booking's response waits for the INSERT of its notice task, not for the
        # message to be rendered and handed to the SMS provider. No worker runs during the
        # bench, so the queue only grows; nothing measured reads it.
        command, cwd=ROOT, env={**os.environ, **env, "TASKS_BACKEND": "database"}, start_new_session=True,
        stdout=server_log, stderr=subprocess.STDOUT,
    )
    server_log.close()  # the child keeps its own descriptor
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {VAR / 'server.log'}")
        status, _ = fetch(base_url + BARE["path"])
        if status == 200:
            return process, base_url
        time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- our own server
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 -- our own server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, b""


# --- load generators -----------------------------------------------------------------------------


def run_wrk(url, headers, duration, connections):
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{max(duration, 1):g}s", "--timeout", "10s",
        "-s", str(LUA),
    ]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line[len("WRK_JSON "):])
    seconds = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds if seconds else 0.0,
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": errors,
    }


def _python_client(url, headers, duration, queue):
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors = [], 0
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)  # keep-alive when the server allows
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            continue
        latencies.append(time.perf_counter() - started)
    connection.close()
    queue.put((latencies, errors))


def run_python(url, headers, duration, connections):
    """Fallback load generator: one process per connection, so the GIL is not the bottleneck."""
    from bench.lib import percentile

    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_python_client, args=(url, headers, duration, queue))
        for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = [value for values, _ in results for value in values]
    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": sum(errors for _, errors in results),
    }


# --- measuring -----------------------------------------------------------------------------------


def drain(base_url, limit=90.0):
    """Wait until the server answers the bare view at once again: a slow endpoint leaves the
    requests wrk gave up on queued in the workers, which would otherwise be billed to the next
    endpoint measured. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        began = time.monotonic()
        status, _ = fetch(base_url + BARE["path"], timeout=limit)
        if status == 200 and time.monotonic() - began < 0.5:
            break
        time.sleep(0.2)
    return round(time.monotonic() - started, 1)


def measure_all(base_url, endpoints, args, loadgen):
    measure = run_wrk if loadgen == "wrk" else run_python
    everything = [BARE, *endpoints]
    for endpoint in everything:
        status, body = fetch(base_url + endpoint["path"], endpoint["headers"])
        endpoint.update(status=status, bytes=len(body), runs=[])
        if args.warmup > 0:
            measure(base_url + endpoint["path"], endpoint["headers"], args.warmup, args.connections)
            drain(base_url)
    for round_number in range(args.rounds):
        # Interleaved: every endpoint once per round, the bare view first, the order reversed on
        # odd rounds so that drift (thermal, caches, the database growing) is spread evenly.
        order = endpoints if round_number % 2 == 0 else list(reversed(endpoints))
        for endpoint in [BARE, *order]:
            run = measure(base_url + endpoint["path"], endpoint["headers"], args.duration, args.connections)
            run["drained_s"] = drain(base_url)
            endpoint["runs"].append(run)
            say(f"  round {round_number + 1}/{args.rounds}  {endpoint['name'][:40]:40}  "
                f"{run['rps']:8.1f} req/s  p95 {run['p95_ms']:7.1f} ms")
    for endpoint in everything:
        runs = endpoint["runs"]
        endpoint["rps"] = round(statistics.median(r["rps"] for r in runs), 1)
        endpoint["p50_ms"] = round(statistics.median(r["p50_ms"] for r in runs), 2)
        endpoint["p95_ms"] = round(statistics.median(r["p95_ms"] for r in runs), 2)
        endpoint["p99_ms"] = round(statistics.median(r["p99_ms"] for r in runs), 2)
        endpoint["errors"] = sum(r["errors"] for r in runs)
    bare_rps = BARE["rps"]
    for endpoint in everything:
        endpoint["ratio"] = round(endpoint["rps"] / bare_rps, 3) if bare_rps else None
    return everything


def run_races(modules, base_url):
    results = []
    for module in modules:
        for race in getattr(module, "RACES", []):
            name = f"{module.__name__.rsplit('.', 1)[1]}.{race.__name__}"
            say(f"  race {name} ...")
            started = time.perf_counter()
            try:
                figures = dict(race(base_url) or {})
            except Exception as exc:  # noqa: BLE001 -- a broken race is reported, not fatal
                figures = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
            figures.setdefault("name", name)
            figures["race"] = name
            figures["seconds"] = round(time.perf_counter() - started, 1)
            results.append(figures)
    return results


# --- output --------------------------------------------------------------------------------------


def say(message):
    # The terminal even while setup's stdout is redirected into the setup log.
    print(message, file=sys.__stdout__ or sys.stdout, flush=True)


def print_table(endpoints, races):
    say("")
    header = (f"{'endpoint':44} {'status':>6} {'queries':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'× bare':>7}  path")
    say(header)
    say("-" * len(header))
    for e in endpoints:
        flag = "" if e["status"] == 200 and not e["errors"] else "  !"
        queries = "-" if e.get("queries") is None else e["queries"]
        # No ratio when the bare view answered nothing in the time (a machine too busy to serve).
        ratio = "-" if e.get("ratio") is None else f"{e['ratio']:.3f}"
        say(f"{e['name'][:44]:44} {e['status'] or '-':>6} {queries:>7} {e['rps']:>9.1f} {e['p50_ms']:>8.2f} "
            f"{e['p95_ms']:>8.2f} {ratio:>7}  {e['path']}{flag}")
    if any(e["status"] != 200 or e["errors"] for e in endpoints):
        say("  ! non-200 status or request errors: the figure does not measure a working page")
    if races:
        say("")
        header = f"{'race':52} {'confirmed':>9} {'expected':>8} {'5xx':>5} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"
        say(header)
        say("-" * len(header))
        for r in races:
            if "error" in r:
                say(f"{r['name'][:52]:52}  FAILED: {r['error']}")
                continue
            say(f"{str(r.get('name'))[:52]:52} {r.get('confirmed', '-')!s:>9} {r.get('expected', '-')!s:>8} "
                f"{r.get('errors_5xx', '-')!s:>5} {r.get('p95_ms', '-')!s:>8} {r.get('p99_ms', '-')!s:>8} "
                f"{r.get('rps', '-')!s:>8}")


def versions():
    found = {"python": platform.python_version()}
    for package in ("django", "wagtail", "gunicorn"):
        with contextlib.suppress(Exception):
            found[package] = importlib.import_module(package).__version__
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        found["wrk"] = out.split(" [")[0].strip()
    return found


def main(argv=None):
    args = parse_args(argv)
    loadgen = args.loadgen
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    if loadgen == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk (or --loadgen python)")
    if loadgen == "python":
        say("NOTE: wrk not found; using the Python load generator (one process per connection). "
            "Its own overhead lowers every figure; install wrk (apt-get install -y wrk) for real numbers.")

    services = Services()
    try:
        return run_bench(args, loadgen, services)
    finally:
        services.stop()


def run_bench(args, loadgen, services):
    choose_database(args, services)
    env = bench_environment()
    os.environ.update(env)
    load_before = os.getloadavg()
    if load_before[0] > 0.5 * (os.cpu_count() or 1):
        say(f"WARNING: the machine is busy (load average {load_before[0]:.1f} on {os.cpu_count()} CPUs): "
            "figures will be low and noisy; ratios suffer less than absolute numbers.")
    say(f"Building the bench database ({database_label()}; cache: {cache_label()}) ...")
    started = time.perf_counter()
    log_path = VAR / "setup.log"
    VAR.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        # Seeds send notifications through the console backend: into the log, not the terminal.
        with contextlib.redirect_stdout(log):
            modules, steps, problems, vendor = build_database(args, log)
    setup_seconds = round(time.perf_counter() - started, 1)
    if args.setup_only:
        say(f"  setup took {round(time.perf_counter() - started, 1)} s (log: {log_path.relative_to(ROOT)}); "
            "--setup-only: measure with --keep-db")
        for problem in problems:
            say(f"PROBLEM in {problem['stage']} of {problem['module']}: {problem['error']}")
        return 1 if problems else 0
    endpoints = endpoints_from(modules, args.only)
    count_queries(endpoints)
    say(f"  setup took {setup_seconds} s (log: {log_path.relative_to(ROOT)})")

    port = free_port()
    say(f"Serving with gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}; load: {loadgen}, "
        f"{args.connections} connections, {args.rounds} × {args.duration:g} s per endpoint")
    server, base_url = start_server(port, args.workers, env)
    try:
        measured = measure_all(base_url, endpoints, args, loadgen)
        races = [] if args.no_races else run_races(modules, base_url)
    finally:
        stop_server(server)

    print_table(measured, races)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(), "platform": platform.platform(), **versions(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "config": {
            "duration_s": args.duration, "rounds": args.rounds, "warmup_s": args.warmup,
            "connections": args.connections, "gunicorn_workers": args.workers, "load_generator": loadgen,
            "database": database_label(), "database_vendor": vendor, "cache": cache_label(), "conn_max_age": int(env["CONN_MAX_AGE"]),
            "only": args.only or None,
        },
        "setup": {"seconds": setup_seconds, "steps": steps, "problems": problems},
        "bare": {k: BARE.get(k) for k in ("name", "path", "status", "queries", "rps", "p50_ms", "p95_ms",
                                          "p99_ms", "errors")},
        "endpoints": [
            {k: e.get(k) for k in ("name", "path", "module", "status", "bytes", "queries", "rps", "p50_ms",
                                   "p95_ms", "p99_ms", "ratio", "errors", "runs")}
            for e in measured if e is not BARE
        ],
        "races": [{k: v for k, v in r.items() if k != "traceback"} for r in races],
    }
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    with contextlib.suppress(ValueError):
        output = output.relative_to(ROOT)
    say(f"\nWrote {output}")
    failed_races = [r for r in races if "error" in r or r.get("ok") is False]
    for problem in problems:
        say(f"PROBLEM in {problem['stage']} of {problem['module']}: {problem['error']}")
    for race in failed_races:
        say(f"RACE FAILED: {race['name']}: {race.get('error') or 'ok is False'}")
    return 1 if failed_races or problems else 0


if __name__ == "__main__":
    sys.exit(main())
