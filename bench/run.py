"""
``make bench``: Drive-in at national scale, measured (docs/performance.md).

    .venv/bin/python -m bench.run            # what make bench runs
    BENCH_RESEED=1 .venv/bin/python -m bench.run   # build the data set anew

1. The data set: the PostgreSQL database of ``BENCH_DATABASE_URL`` (default
   ``drivein_bench``; never the DATABASE_URL of development or tests) holds
   ``seed_demo --scale national --years 5`` once; a marker (the database's comment)
   says when it was seeded and how long it took. It is reused while it is less than
   ``RESEED_AFTER_DAYS`` old, else built anew (timed).
2. The server: gunicorn, gthread workers, production settings (DEBUG off, a fresh
   SECRET_KEY, CONN_MAX_AGE=60, static files collected) on plain HTTP on loopback
   (so SECURE_SSL_REDIRECT is off) with throttles, path rate limits and the login
   lockout off (THROTTLING=false): the load comes from one address.
3. The pages, from ``bench.loadgen`` in another process: median, 95th percentile
   and throughput at 1 and at 20 clients. Queries per request and each page's SQL
   come from one request through Django's test client in this process (exact,
   also for the streamed CSV, whose main query runs after the headers are sent).
4. The floor: the bare view ``/bench/floor/`` on the same server (the least any
   page costs) plus the page's own SQL replayed with psycopg (the least its data
   costs); every page is shown as a ratio to that sum. The SQL of the dashboard's
   figures (``reach_rows_queryset``) is timed on its own too.
5. The burst: 2,000 report submissions from 50 clients, a tenth resent, some
   conflicting; then the database is checked (bench.burst). A failed check, an
   answer 5xx or a request without answer ends with exit status 1.
6. The hostile input (bench.hostile): three pages at 4 clients alone, then again
   while 4 clients send 250 KB notes; the pages' p95 must stay within twice what it
   was, every note must be answered 400, and nothing may be stored.
7. The table is printed, written to bench/results.json and into docs/performance.md.

The day route of the coordinator's van is measured with its road legs kept: the bench
writes and builds a small road network of its own over the centre's stops
(bench.roads), keeps the centre's legs before the clock starts, and fails when the
page is over TARGETS["page_ratio"] times its floor, or does not read kept legs.

    .venv/bin/python -m bench.run --phase hostile   # only the hostile input (6.)
    .venv/bin/python -m bench.run --phase route     # only the floor and the day route
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import CENTRE_NAME, hostile, roads
from bench.stats import ratio, summarize

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
# The guide that holds the generated tables between their markers.
PERFORMANCE = ROOT / "docs" / "performance.md"
LOGS = ROOT / "bench" / "data"
# The bench's own road network (bench.roads), rebuilt each run.
ROADS = LOGS / "roads"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/drivein_bench"
MARKER = "drivein-bench national 5y:"
RESEED_AFTER_DAYS = 7
PORTS = range(8081, 8090)
WORKERS = max(2, os.cpu_count() or 2)
THREADS = 4
PASSWORD = "demo"
# Phases: (clients, at most requests, at most seconds). Each client warms up once.
ONE, MANY = 1, 20
PHASES = {ONE: (40, 6.0), MANY: (400, 8.0)}
FLOOR_PHASES = {ONE: (400, 3.0), MANY: (3000, 4.0)}
API_PHASES = {ONE: (200, 5.0), MANY: (1600, 8.0)}
BURST_TOTAL, BURST_CLIENTS, BURST_CONFLICTS = 2000, 50, 50
REPLAYS = 7
TARGETS = {"page_ratio": 2.0, "reach_national_ms": 150.0, "report_rps": 200.0, "seed_s": 90.0}


BEGUN = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - BEGUN:5.0f} s] {message}", flush=True)


# The environment ------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    """Production settings for the server (and this process), as the module doc says."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "THROTTLING": "false",
        "BENCH": "true",
        "EMAIL_URL": os.environ.get("EMAIL_URL") or "dummymail://",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "drivein.settings",
    }


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _admin_url(database_url: str) -> tuple[str, str]:
    """The maintenance database's URL and the bench database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def read_marker(database_url: str) -> dict | None:
    admin, name = _admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None:
        return {"exists": False}
    comment = row[0] or ""
    if not comment.startswith(MARKER):
        return {"exists": True}
    return {"exists": True, **json.loads(comment[len(MARKER) :])}


def ensure_dataset(database_url: str, env: dict[str, str], times: int = 1) -> dict:
    """
    Reuse the seeded national set (``times`` copies of it), or build it (timed, with
    the loader's peak memory and the database's size): see the module doc.
    """
    marker = read_marker(database_url)
    admin, name = _admin_url(database_url)
    today = dt.date.today()
    seeded_on = dt.date.fromisoformat(marker["seeded_on"]) if "seeded_on" in marker else None
    fresh = seeded_on is not None and (today - seeded_on).days < RESEED_AFTER_DAYS
    if fresh and marker.get("times", 1) == times and not os.environ.get("BENCH_RESEED"):
        manage("migrate", "--noinput", "-v", "0", env=env)
        with psycopg.connect(database_url) as conn:
            stops = conn.execute("SELECT count(*) FROM stops_stop").fetchone()[0]
        if stops >= 300 * times:
            say(f"Reusing the national set ×{times} in {name} (seeded {seeded_on}).")
            return {**marker, "seeded_this_run": False}
        say(f"{name} has {stops} stops, not the national set ×{times}: building it anew.")
    if marker["exists"] and "bench" not in name:
        raise SystemExit(
            f"Refusing to drop {name}: the benchmark only rebuilds a *bench* database."
        )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"Building the national five-year set ×{times} in {name} (migrate, seed_demo, ANALYZE).")
    manage("migrate", "--noinput", "-v", "0", env=env)
    started = time.monotonic()
    # seed_demo runs only with DEBUG on (it makes logins with a known password).
    seed = ["seed_demo", "--scale", "national", "--years", "5", "--times", str(times)]
    manage(*seed, env={**env, "DEBUG": "true"})
    seed_seconds = time.monotonic() - started
    # ru_maxrss: the largest child so far, in KiB (the seed is by far the largest).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with psycopg.connect(database_url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute("VACUUM (ANALYZE)")
        analyze_seconds = time.monotonic() - started
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        found = {"seeded_on": today.isoformat(), "seed_seconds": round(seed_seconds, 1)}
        found["analyze_seconds"] = round(analyze_seconds, 1)
        found |= {"times": times, "peak_rss_mb": round(peak_mb), "database_mb": size >> 20}
    with psycopg.connect(admin, autocommit=True) as conn:
        comment = MARKER + json.dumps(found)
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    say(
        f"Seeded in {seed_seconds:.1f} s (VACUUM ANALYZE {analyze_seconds:.1f} s, "
        f"peak {peak_mb:.0f} MB, database {size >> 20} MB)."
    )
    return {**found, "exists": True, "seeded_this_run": True}


# The server -------------------------------------------------------------------------


def free_port() -> int:
    """A free port of PORTS, or BENCH_PORT when set (a shared machine's own port)."""
    ports = [int(os.environ["BENCH_PORT"])] if os.environ.get("BENCH_PORT") else PORTS
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port in {ports} for the benchmark's server.")


class Server:
    """gunicorn serving the application; stopped by its own process id."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = free_port()
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = open(LOGS / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "drivein.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--keep-alive",
                "30",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {LOGS / 'gunicorn.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"GET /bench/floor/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if conn.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK"):
                        say(
                            f"gunicorn on http://127.0.0.1:{self.port} "
                            f"({WORKERS} gthread workers x {THREADS} threads)"
                        )
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within a minute")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def load(port: int, phases: list[dict]) -> list[dict]:
    """Run the load generator (another process) and return its phase results."""
    job = json.dumps({"host": "127.0.0.1", "port": port, "phases": phases})
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadgen"],
        cwd=ROOT,
        input=job,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout)["phases"]


# The run ------------------------------------------------------------------------------


def _phase(name: str, clients: int, bounds: tuple, requests: list[dict], auth, **extra) -> dict:
    most, seconds = bounds
    return {
        "name": name,
        "concurrency": clients,
        "max_requests": most,
        "max_seconds": seconds,
        "warmup": 1,
        "auth": auth,
        "requests": requests,
        **extra,
    }


def _floor_phase(clients: int) -> dict:
    """The floor view (the least any page costs on the server) at ``clients`` at once."""
    return _phase(f"floor@{clients}", clients, FLOOR_PHASES[clients],
                  [{"method": "GET", "path": "/bench/floor/"}], None)  # fmt: skip


def _login(page) -> dict:
    return {"kind": page.auth, "username": page.username, "password": PASSWORD}


def _summaries(found: dict[str, dict], key: str) -> dict:
    out = {}
    for clients in (ONE, MANY):
        phase = found[f"{key}@{clients}"]
        out[f"clients_{clients}"] = {
            **summarize(phase["latencies_ms"], phase["wall_seconds"]),
            "statuses": phase["statuses"],
            "errors": phase["errors"],
        }
    return out


def _postgres_version(database_url: str) -> str:
    with psycopg.connect(database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    return f"PostgreSQL {version.split()[0]}"


def _prepare() -> tuple[str, dict[str, str], dict]:
    """The bench's database (built once), the server's environment, collected static
    files; this process then reads and measures with the server's own settings."""
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    env = server_env(database_url)
    dataset = ensure_dataset(database_url, env)
    env["ROUTING_TILES_DIR"] = str(build_roads(database_url, env))
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    os.environ.update(env)
    return database_url, env, dataset


def build_roads(database_url: str, env: dict[str, str]) -> Path:
    """The bench centre's road network (bench.roads), built into ROADS."""
    centre, stops = roads.places(database_url, CENTRE_NAME)
    extract = roads.write_star(LOGS / "roads.osm.pbf", centre, stops)
    say(f"Building the bench's road network ({len(stops)} stops of {CENTRE_NAME}).")
    manage("build_roads", str(extract), "--into", str(ROADS), "--concurrency", "1", env=env)
    return ROADS


def main() -> int:
    begun = time.monotonic()
    load_before = os.getloadavg()
    database_url, env, dataset = _prepare()
    # After django.setup(): the settings come from the environment _prepare() set.
    import django

    django.setup()
    from bench import pages as bp
    from bench.burst import Answer, StoredReport, check_burst, plan_burst
    from bench.report import doc_with, summary, targets
    from visits.models import VisitReport

    seeded_on = dt.date.fromisoformat(dataset["seeded_on"])
    left = bp.remove_bench_visits()
    if left:
        say(f"Removed {left} visits left by an earlier run.")
    dataset.update(bp.dataset_counts())
    p = bp.periods(seeded_on)
    read = bp.read_pages(seeded_on)
    route_problems = _keep_legs(bp, next(page for page in read if page.key == "route"))

    say("Counting queries and timing each page's SQL in-process (psycopg replays).")
    captures = {page.key: bp.capture(page) for page in read}
    sql_floor = {k: bp.replay_ms(database_url, c.statements, REPLAYS) for k, c in captures.items()}
    reach_rows = {
        "national": bp.reach_rows_sql_ms(database_url, {"week": str(p["last_week"])}, REPLAYS),
        "centre": bp.reach_rows_sql_ms(
            database_url,
            {"week": str(p["last_week"]), "centre": read[2].paths[0].rsplit("=", 1)[1]},
            REPLAYS,
        ),
    }

    # Visits for the report API and the burst, older than the seeded history.
    api_counts = (API_PHASES[ONE][0], API_PHASES[MANY][0])
    burst_originals = BURST_TOTAL - BURST_TOTAL // 10 - BURST_CONFLICTS
    before = seeded_on - dt.timedelta(weeks=5 * 52 + 1)
    types = bp.service_type_ids()
    server = Server(env)
    try:
        server.start()
        say("Loading the floor view and the pages at 1 and 20 clients.")
        phases = []
        for clients in (ONE, MANY):
            phases.append(_floor_phase(clients))
        for page in read:
            for clients in (ONE, MANY):
                phases.append(
                    _phase(f"{page.key}@{clients}", clients, PHASES[clients],
                           page.requests(), _login(page))
                )  # fmt: skip
        found = {phase["name"]: phase for phase in load(server.port, phases)}

        pool = bp.make_bench_visits(sum(api_counts) + burst_originals + 1, before=before)
        hostile_visit, pool = pool[-1], pool[:-1]
        singles = plan_burst(
            pool[: sum(api_counts)], total=sum(api_counts), resend_share=0, conflicts=0,
            service_type_ids=types, seed=1,
        )  # fmt: skip
        api_pages = {ONE: bp.report_page(singles[: api_counts[0]]),
                     MANY: bp.report_page(singles[api_counts[0]:])}  # fmt: skip
        captures["report_api"] = bp.capture(api_pages[ONE])
        sql_floor["report_api"] = bp.replay_ms(
            database_url, captures["report_api"].statements, REPLAYS
        )
        burst_pool = pool[sum(api_counts) :]
        plan = plan_burst(
            burst_pool, total=BURST_TOTAL, conflicts=BURST_CONFLICTS, service_type_ids=types
        )
        logins = [
            {"kind": "token", "username": name, "password": PASSWORD}
            for name in ("koordinator", "frivillig")
        ]
        say("Hostile input: the pages alone, then beside 4 clients sending 250 KB notes.")
        hostile_pages = [page for page in read if page.key in hostile.PAGES]
        home_visits_before = bp.home_visit_count()
        hostile_phases = _hostile_phases(hostile_pages, hostile_visit, bp.bench_centre_id())
        found.update({phase["name"]: phase for phase in load(server.port, hostile_phases)})
        hostile_stored = bp.stored_for_hostile(hostile_visit, home_visits_before)
        say("Loading the report API at 1 and 20 clients, then the burst.")
        api_phases = [
            _phase(f"report_api@{clients}", clients, API_PHASES[clients],
                   api_pages[clients].requests(), _login(api_pages[clients]), cycle=False)
            for clients in (ONE, MANY)
        ]  # fmt: skip
        api_phases.append(
            _phase("burst", BURST_CLIENTS, (BURST_TOTAL, 300.0),
                   [{"method": "PUT", "path": f"/api/v1/visits/{s.visit_id}/report/",
                     "body": s.body()} for s in plan],
                   logins, cycle=False, record=True)
        )  # fmt: skip
        found.update({phase["name"]: phase for phase in load(server.port, api_phases)})
    finally:
        server.stop()

    # The burst's accounting, from the database.
    stored = [
        StoredReport(
            visit_id=r.visit_id,
            submission_id=str(r.submission_id),
            people_met=r.people_met,
            meals=r.meals,
            referrals=tuple((x.service_type_id, x.count) for x in r.referrals.all()),
        )
        for r in VisitReport.objects.filter(visit__in=burst_pool).prefetch_related("referrals")
    ]
    burst_phase = found["burst"]
    answers = [Answer(status, sid) for status, sid in burst_phase["answers"]]
    check = check_burst(plan, answers, stored, pool=burst_pool)
    api_reports = VisitReport.objects.filter(visit__in=pool[: sum(api_counts)]).count()
    hostile_out = _hostile_results(found, hostile_pages, hostile_stored)
    bp.remove_bench_visits()

    floor_view = _summaries(found, "floor")
    floor_ms = floor_view["clients_1"]["median_ms"]
    pages_out = {}
    for page in [*read, api_pages[ONE]]:
        pages_out[page.key] = _page_row(
            page, _summaries(found, page.key), captures[page.key], sql_floor[page.key], floor_ms
        )
    results = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "postgresql": _postgres_version(database_url),
        },
        "server": {
            "gunicorn": "gthread",
            "workers": WORKERS,
            "threads": THREADS,
            "settings": "DEBUG=false SECURE_SSL_REDIRECT=false CONN_MAX_AGE=60 THROTTLING=false",
        },
        "dataset": dataset,
        "floor": {
            "view": floor_view,
            "reach_rows_sql_ms": {k: round(v, 2) for k, v in reach_rows.items()},
        },
        "pages": pages_out,
        "burst": {
            "submissions": len(plan),
            "clients": BURST_CLIENTS,
            "kinds": check.kinds,
            "statuses": {str(k): v for k, v in sorted(check.statuses.items())},
            "wall_seconds": burst_phase["wall_seconds"],
            "visits": check.visits,
            "reports": check.reports,
            "ok": check.ok,
            "problems": check.problems[:50],
        },
        "hostile": hostile_out,
    }
    results["targets"] = targets(results, TARGETS)
    results["elapsed_seconds"] = round(time.monotonic() - begun, 1)

    failures = []
    if not check.ok:
        failures.append(f"burst check: {len(check.problems)} problems, e.g. {check.problems[:3]}")
    expected = {"report_api": "201"}
    for key, page in pages_out.items():
        for clients in (ONE, MANY):
            statuses = page[f"clients_{clients}"]["statuses"]
            wrong = {s: n for s, n in statuses.items() if s != expected.get(key, "200")}
            if wrong:
                failures.append(f"{key} at {clients} clients answered {wrong}")
    failures += [f"hostile input: {problem}" for problem in hostile_out["problems"]]
    failures += _route_failures(pages_out["route"], route_problems)
    created = sum(found[f"report_api@{c}"]["statuses"].get("201", 0) for c in (ONE, MANY))
    if api_reports != created:
        failures.append(f"report API: {api_reports} reports stored for {created} answers 201")
    results["failures"] = failures

    text = summary(results)
    print("\n" + text + "\n", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    PERFORMANCE.write_text(doc_with(PERFORMANCE.read_text(), text))
    say(f"Wrote {RESULTS.relative_to(ROOT)} and {PERFORMANCE.relative_to(ROOT)} "
        f"({results['elapsed_seconds']:.0f} s in all).")  # fmt: skip
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _page_row(page, measured: dict, captured, sql_floor: float, floor_view_ms: float) -> dict:
    """One page's figures: its load, its queries, its floor and its multiple of it."""
    floor_total = floor_view_ms + sql_floor
    return {
        "label": page.label,
        "user": page.username,
        "request": f"{page.method} {page.paths[0]}",
        "queries": captured.queries,
        "status_in_process": captured.status,
        "sql_floor_ms": round(sql_floor, 2),
        "floor_ms": round(floor_total, 2),
        "ratio": ratio(measured["clients_1"]["median_ms"], floor_total),
        **measured,
    }


def _keep_legs(bp, page) -> list[str]:
    """Keep the bench centre's legs, then check that the route page reads them."""
    kept = bp.keep_legs()
    say(f"Kept {kept.legs} road legs of {CENTRE_NAME} ({kept.computed} computed, "
        f"{kept.no_road} without a road).")  # fmt: skip
    problems = [f"road legs: {kept.problem}"] if kept.problem else []
    return problems + bp.route_problems(page)


def _route_failures(route: dict, problems: list[str]) -> list[str]:
    """The day route must stay within TARGETS["page_ratio"] times its floor."""
    failures = [f"day route: {problem}" for problem in problems]
    if route["ratio"] is None or route["ratio"] > TARGETS["page_ratio"]:
        failures.append(
            f"day route: median {route['clients_1']['median_ms']:.1f} ms is {route['ratio']}× "
            f"its floor ({route['floor_ms']:.1f} ms), over {TARGETS['page_ratio']:g}×"
        )
    return failures


def _hostile_phases(pages: list, visit_id: int, centre_id: int) -> list[dict]:
    """The hostile-input phases (bench.hostile), the notes sent as the volunteer."""
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    notes = hostile.requests(visit_id=visit_id, centre_id=centre_id, date=yesterday)
    attackers = {"kind": "token", "username": "frivillig", "password": PASSWORD}
    return hostile.phases(pages, login=attackers, hostile_requests=notes, page_login=_login)


def _hostile_results(found: dict, pages: list, stored: list[str]) -> dict:
    out = hostile.results(found, pages)
    out["date"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out["problems"] += stored
    out["ok"] = not out["problems"]
    return out


def hostile_only() -> int:
    """``--phase hostile``: only the hostile input, on the reused data set; its figures
    go into bench/results.json and docs/performance.md beside the last full run's."""
    _database_url, env, dataset = _prepare()
    # After django.setup(): the settings come from the environment _prepare() set.
    import django

    django.setup()
    from bench import pages as bp
    from bench.report import doc_with, summary

    seeded_on = dt.date.fromisoformat(dataset["seeded_on"])
    bp.remove_bench_visits()
    pages = [page for page in bp.read_pages(seeded_on) if page.key in hostile.PAGES]
    before = seeded_on - dt.timedelta(weeks=5 * 52 + 1)
    (visit_id,) = bp.make_bench_visits(1, before=before)
    server = Server(env)
    try:
        server.start()
        say("Hostile input: the pages alone, then beside 4 clients sending 250 KB notes.")
        home_visits_before = bp.home_visit_count()
        phases = _hostile_phases(pages, visit_id, bp.bench_centre_id())
        found = {phase["name"]: phase for phase in load(server.port, phases)}
        stored = bp.stored_for_hostile(visit_id, home_visits_before)
    finally:
        server.stop()
        bp.remove_bench_visits()
    out = _hostile_results(found, pages, stored)
    print("\n" + hostile.summary_line(out) + "\n", flush=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else None
    if results is not None:
        results["hostile"] = out
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        PERFORMANCE.write_text(doc_with(PERFORMANCE.read_text(), summary(results)))
        say(f"Wrote the hostile input into {RESULTS.relative_to(ROOT)} and {PERFORMANCE.name}.")
    for problem in out["problems"]:
        print(f"FAILED: hostile input: {problem}", file=sys.stderr)
    return 0 if out["ok"] else 1


def route_only() -> int:
    """
    ``--phase route``: only the floor view and the day route with its legs kept, on the
    reused data set; the route's row goes into bench/results.json and
    docs/performance.md beside the last full run's. Exit status 1 over the target.
    """
    begun = time.monotonic()
    load_before = os.getloadavg()
    database_url, env, dataset = _prepare()
    import django

    django.setup()
    from bench import pages as bp
    from bench.report import doc_with, summary, targets

    seeded_on = dt.date.fromisoformat(dataset["seeded_on"])
    page = next(p for p in bp.read_pages(seeded_on) if p.key == "route")
    problems = _keep_legs(bp, page)
    captured = bp.capture(page)
    sql_floor = bp.replay_ms(database_url, captured.statements, REPLAYS)
    server = Server(env)
    try:
        server.start()
        say("Loading the floor view and the day route at 1 and 20 clients.")
        phases = []
        for clients in (ONE, MANY):
            phases.append(_floor_phase(clients))
            phases.append(
                _phase(f"route@{clients}", clients, PHASES[clients], page.requests(), _login(page))
            )  # fmt: skip
        found = {phase["name"]: phase for phase in load(server.port, phases)}
    finally:
        server.stop()
    floor_ms = _summaries(found, "floor")["clients_1"]["median_ms"]
    route = _page_row(page, _summaries(found, "route"), captured, sql_floor, floor_ms)
    phase = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "floor_view_ms": floor_ms,
        "elapsed_seconds": round(time.monotonic() - begun, 1),
    }
    failures = _route_failures(route, problems)
    for clients in (ONE, MANY):
        wrong = {s: n for s, n in route[f"clients_{clients}"]["statuses"].items() if s != "200"}
        if wrong:
            failures.append(f"day route at {clients} clients answered {wrong}")
    one = route["clients_1"]["median_ms"]
    say(
        f"Day route: {route['queries']} queries, median {one:.1f} ms at 1 client, "
        f"floor {route['floor_ms']:.1f} ms: {route['ratio']}× its floor."
    )
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else None
    if results is not None:
        results["pages"]["route"] = route
        results["route_phase"] = phase
        results["targets"] = targets(results, TARGETS)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        PERFORMANCE.write_text(doc_with(PERFORMANCE.read_text(), summary(results)))
        say(f"Wrote the day route into {RESULTS.relative_to(ROOT)} and {PERFORMANCE.name}.")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Drive-in's benchmark (docs/performance.md)")
    parser.add_argument("--phase", choices=["all", "hostile", "route"], default="all")
    phase = parser.parse_args().phase
    sys.exit({"hostile": hostile_only, "route": route_only}.get(phase, main)())
