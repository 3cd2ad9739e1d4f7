"""
The scale-out drill (``make bench`` runs it after the benchmark; docs/performance.md):
two gunicorn instances on two ports, one PostgreSQL, one Redis (``CACHE_URL``).

    .venv/bin/python -m bench.drill

1. Its own PostgreSQL and Redis, never the shared ones, since it restarts them: a
   cluster ``drivein_drill`` on port ``DRILL_PG_PORT`` (5440; made with Debian's
   ``pg_createcluster`` the first time, started and stopped with ``pg_ctlcluster``)
   and ``redis-server`` on ``DRILL_REDIS_PORT`` (6390), a child process without
   persistence. The database ``drivein_drill`` is made anew with the demo data.
2. The servers: tools/smoke.py's production path (DEBUG off, collected static files,
   deploy/gunicorn.conf.py, ``DB_POOL_SIZE`` connection pools), one worker each, on
   ``DRILL_PORTS`` (8120,8121), throttles and rate limits on (the API's rates raised
   so that the burst is not throttled), ``NUM_PROXIES=1``.
3. The rate limit across both: 90 requests for a public stop page from one address
   (``X-Forwarded-For``), alternating between the instances: exactly 60 pass.
4. The burst of bench.burst (2,000 report submissions from 50 clients, a tenth
   resent, 50 conflicting), spread over both instances. During it: at a fifth of
   the answers one instance is killed (``kill -9`` of its process group), at 45 %
   PostgreSQL is restarted, at 70 % Redis. A client does what the phone and a load
   balancer do together: a request without an answer or with a 5xx is sent again,
   with the same ``submission_id``, to an instance that is up. A probe asks each
   instance for an API page every 100 ms. Afterwards ``check_burst`` must pass on
   the last answer of each submission (0 lost, 0 doubled); an answer 200 to a
   submission whose earlier try got no answer stands for the 201 that was lost.
5. It prints each outage in seconds (the service down, and how long the surviving
   instance failed requests), writes bench/drill.json and docs/performance.md's block
   between ``drill:start`` and ``drill:end``. Exit status 1 when a check fails.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.burst import Answer, StoredReport, check_burst, plan_burst  # noqa: E402
from bench.loadgen import Client, _submission_in  # noqa: E402
from bench.run import BURST_CLIENTS, BURST_CONFLICTS, BURST_TOTAL  # noqa: E402
from tools import smoke  # noqa: E402

PG_PORT = int(os.environ.get("DRILL_PG_PORT", "5440"))
PG_CLUSTER = os.environ.get("DRILL_PG_CLUSTER", "drivein_drill")
REDIS_PORT = int(os.environ.get("DRILL_REDIS_PORT", "6390"))
PORTS = [int(p) for p in os.environ.get("DRILL_PORTS", "8120,8121").split(",")]
DATABASE = "drivein_drill"
RESULTS = ROOT / "bench" / "drill.json"
PERFORMANCE = ROOT / "docs" / "performance.md"
START, END = "<!-- drill:start (written by make bench) -->", "<!-- drill:end -->"
LIMIT = 60  # RATE_LIMIT_PUBLIC_PAGES' default
KILL_AT, POSTGRES_AT, REDIS_AT = 0.20, 0.45, 0.70
PROBE_EVERY = 0.1
TIMEOUT = 15

BEGUN = time.monotonic()


def say(message: str) -> None:
    print(f"[drill {time.monotonic() - BEGUN:5.0f} s] {message}", flush=True)


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
    return done.stdout


# The private services ------------------------------------------------------------


class Postgres:
    """The drill's own cluster (module doc, 1); never the one on 5432."""

    def __init__(self) -> None:
        self.version = (
            os.environ.get("DRILL_PG_VERSION") or sorted(os.listdir("/etc/postgresql"))[-1]
        )
        if PG_PORT == 5432:
            raise SystemExit("The drill restarts its PostgreSQL: give it its own port, not 5432.")

    def _ctl(self, action: str, *extra: str) -> None:
        run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, PG_CLUSTER, action, *extra)

    def start(self) -> None:
        clusters = run("pg_lsclusters", "--no-header")
        if not any(
            line.split()[:2] == [self.version, PG_CLUSTER] for line in clusters.splitlines()
        ):
            say(f"Creating the PostgreSQL cluster {self.version}/{PG_CLUSTER} on port {PG_PORT}.")
            run(
                "pg_createcluster", "--port", str(PG_PORT), self.version, PG_CLUSTER,
                "--", "--auth-local=trust", "--auth-host=trust",
            )  # fmt: skip
        if "online" not in run("pg_lsclusters", self.version, PG_CLUSTER, "--no-header"):
            self._ctl("start")
        self.wait()

    def wait(self) -> None:
        for _ in range(100):
            ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q"])
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit(f"PostgreSQL on {PG_PORT} did not come up")

    def restart(self) -> float:
        """Restart (fast: open connections are cut); the seconds until it takes connections."""
        started = time.monotonic()
        self._ctl("restart", "-m", "fast")
        self.wait()
        return time.monotonic() - started

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"


class Redis:
    """redis-server on the drill's port, a child process, no persistence."""

    def __init__(self) -> None:
        if REDIS_PORT == 6379:
            raise SystemExit("The drill restarts its Redis: give it its own port, not 6379.")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                with http.client.socket.create_connection(("127.0.0.1", REDIS_PORT), 1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"redis-server on {REDIS_PORT} did not come up")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> float:
        started = time.monotonic()
        self.stop()
        self.start()
        return time.monotonic() - started

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{REDIS_PORT}/0"


# The clients ------------------------------------------------------------------------


class DrillClient(Client):
    """The benchmark's client with a short timeout and the proxy's headers."""

    def __init__(self, port: int, address: str = "192.0.2.10"):
        super().__init__("127.0.0.1", port)
        self.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": address})

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)


def ask(client: DrillClient, method: str, path: str, body: dict | None = None):
    """(status, body); status 0 when there was no answer."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        status, answer, _response = client.request(method, path, data, headers)
    except (OSError, http.client.HTTPException):
        client.conn.close()
        client.conn = client._connect()
        return 0, b""
    return status, answer


class Probe(threading.Thread):
    """Asks one instance for an API page every PROBE_EVERY seconds: (time, ok)."""

    def __init__(self, port: int, token: str):
        super().__init__(daemon=True)
        self.client = DrillClient(port)
        self.client.headers["Authorization"] = f"Token {token}"
        self.results: list[tuple[float, bool]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            status, _body = ask(self.client, "GET", "/api/v1/centres/")
            self.results.append((time.monotonic(), status == 200))
            time.sleep(PROBE_EVERY)

    def failing(self, start: float, end: float) -> float:
        """Seconds from the first to the last failed probe in [start, end) (0 if none)."""
        failed = [t for t, ok in self.results if not ok and start <= t < end]
        return (failed[-1] - failed[0] + PROBE_EVERY) if failed else 0.0

    def answered(self, start: float, end: float) -> tuple[int, int]:
        inside = [ok for t, ok in self.results if start <= t < end]
        return sum(inside), len(inside)


# The drill ---------------------------------------------------------------------------


def rate_limit_check(servers, slug: str) -> dict:
    smoke.wait_for_a_fresh_minute()
    address = f"198.51.100.{random.randint(1, 254)}"
    statuses: Counter = Counter()
    for number in range(LIMIT + 30):
        page = DrillClient(servers[number % 2].port, address)
        statuses[ask(page, "GET", f"/s/{slug}/")[0]] += 1
    return {"sent": LIMIT + 30, "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "ok": statuses == Counter({200: LIMIT, 429: 30})}  # fmt: skip


def burst(plan, servers, tokens, events) -> tuple[list[Answer], dict]:
    """Send the plan from BURST_CLIENTS threads over both instances, retrying (module doc)."""
    alive = {server.port: True for server in servers}
    lock = threading.Lock()
    state = {"next": 0, "answered": 0}
    finals: list[Answer | None] = [None] * len(plan)
    retries: Counter = Counter()
    failures: list[tuple[float, int]] = []  # (when, instance's port) of each failed try
    lost_before: set[int] = set()

    def client_loop(number: int) -> None:
        token = tokens[number % len(tokens)]
        clients = {}
        for server in servers:
            clients[server.port] = DrillClient(server.port)
            clients[server.port].headers["Authorization"] = f"Token {token}"
        while True:
            with lock:
                index = state["next"]
                if index >= len(plan):
                    return
                state["next"] += 1
            submission = plan[index]
            path = f"/api/v1/visits/{submission.visit_id}/report/"
            port = servers[index % len(servers)].port
            for attempt in range(400):
                if not alive[port]:
                    port = next(p for p, up in alive.items() if up)
                status, body = ask(clients[port], "PUT", path, submission.body())
                if status in (200, 201, 409) or (400 <= status < 500 and status != 429):
                    break
                with lock:
                    retries["no answer" if status == 0 else f"HTTP {status}"] += 1
                    failures.append((time.monotonic(), port))
                    lost_before.add(index)
                others = [p for p, up in alive.items() if up and p != port]
                port = others[0] if others and attempt % 2 == 0 else port
                time.sleep(0.2)
            finals[index] = Answer(status, _submission_in(body))
            with lock:
                state["answered"] += 1

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(BURST_CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    pending = sorted(events, key=lambda event: event[0])
    while any(thread.is_alive() for thread in threads):
        if pending and state["answered"] >= pending[0][0] * len(plan):
            _share, action = pending.pop(0)
            action(alive)
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    # An answer 200 after an attempt without answer: the lost attempt stored it (201).
    created = Counter(a.submission_id for a in finals if a and a.status == 201)
    answers = []
    replayed = 0
    for index, answer in enumerate(finals):
        sid = plan[index].submission_id
        if answer.status == 200 and index in lost_before and not created[sid]:
            answer = Answer(201, answer.submission_id)
            created[sid] += 1
            replayed += 1
        answers.append(answer)
    return answers, {"wall_seconds": round(wall, 1), "retries": dict(retries),
                     "lost_201_replayed": replayed, "failures": failures}  # fmt: skip


def main() -> int:
    postgres, redis = Postgres(), Redis()
    postgres.start()
    redis.start()
    servers: list[smoke.Gunicorn] = []
    static_root = tempfile.mkdtemp(prefix="drivein-drill-static-")
    try:
        env = smoke.production_env(
            postgres.url, static_root, CACHE_URL=redis.url, DB_POOL_SIZE="4",
            NUM_PROXIES="1", API_RATE_WRITE="100000/minute", API_RATE_READ="100000/minute",
            API_RATE_TOKEN="1000/minute",
        )  # fmt: skip
        say(f"Preparing {DATABASE} on port {PG_PORT} (migrate, demo data, static files).")
        smoke.prepare(env, marker="drill")
        os.environ.update({k: v for k, v in env.items() if k != "DB_POOL_SIZE"})
        os.environ["DJANGO_SETTINGS_MODULE"] = "drivein.settings"
        # After django.setup(): the settings come from the drill's environment above.
        import django

        django.setup()
        from bench import pages as bp
        from visits.models import VisitReport

        for port in PORTS:
            servers.append(smoke.Gunicorn(env, port=port, workers=1).start())
        say(f"Two gunicorn instances on {PORTS}, Redis on {REDIS_PORT}.")
        tokens = []
        for name in ("koordinator", "frivillig"):
            one = DrillClient(PORTS[0])
            one.login_token(name, smoke.PASSWORD)
            tokens.append(one.headers["Authorization"].split()[1])
        slug_client = DrillClient(PORTS[1])
        slug_client.headers["Authorization"] = f"Token {tokens[0]}"
        slug = json.loads(ask(slug_client, "GET", "/api/v1/stops/")[1])["results"][0]["slug"]

        limits = rate_limit_check(servers, slug)
        say(f"Rate limit across both instances: {limits['statuses']} of {limits['sent']}.")

        total, conflicts = BURST_TOTAL, BURST_CONFLICTS
        seeded = dt.date.today()
        pool = bp.make_bench_visits(
            total - round(total * 0.1) - conflicts, before=seeded - dt.timedelta(weeks=300)
        )
        plan = plan_burst(
            pool, total=total, conflicts=conflicts, service_type_ids=bp.service_type_ids()
        )
        probes = [Probe(server.port, tokens[0]) for server in servers]
        for probe in probes:
            probe.start()
        marks: dict[str, float] = {}
        outages: dict[str, float] = {}
        victim = servers[1]

        def kill(alive):
            marks["kill"] = time.monotonic()
            victim.kill()
            alive[victim.port] = False
            say(f"kill -9 of the instance on {victim.port}.")

        def restart_postgres(_alive):
            marks["postgres"] = time.monotonic()
            outages["postgres_down_s"] = postgres.restart()
            say(f"PostgreSQL restarted ({outages['postgres_down_s']:.1f} s).")

        def restart_redis(_alive):
            marks["redis"] = time.monotonic()
            outages["redis_down_s"] = redis.restart()
            say(f"Redis restarted ({outages['redis_down_s']:.1f} s).")

        say(f"The burst: {len(plan)} submissions from {BURST_CLIENTS} clients over both instances.")
        answers, sent = burst(
            plan, servers, tokens,
            [(KILL_AT, kill), (POSTGRES_AT, restart_postgres), (REDIS_AT, restart_redis)],
        )  # fmt: skip
        time.sleep(1)
        for probe in probes:
            probe.running = False
        end = time.monotonic()
        probe = probes[0]
        windows = {
            "kill": (marks["kill"], marks["postgres"]),
            "postgres": (marks["postgres"], marks["redis"]),
            "redis": (marks["redis"], end),
        }
        failures = sent.pop("failures")
        for event, (start, stop) in windows.items():
            # From the event to the last failed try of the burst or the probe in its window.
            failed = [t for t, port in failures if start <= t < stop and port != victim.port]
            outages[f"survivor_failing_{event}_s"] = max(
                probe.failing(start, stop), (failed[-1] - start) if failed else 0.0
            )
            outages[f"failed_tries_{event}"] = len([t for t, _p in failures if start <= t < stop])
        in_flight = [t for t, port in failures if port == victim.port and t >= marks["kill"]]
        outages["killed_retried_within_s"] = (in_flight[-1] - marks["kill"]) if in_flight else 0.0
        ok_probes, all_probes = probe.answered(marks["kill"], end)
        from django.db import connection  # set up above, in this process's drill

        connection.close()  # this process's connection did not outlive the restart
        stored = [
            StoredReport(
                visit_id=r.visit_id, submission_id=str(r.submission_id), people_met=r.people_met,
                meals=r.meals,
                referrals=tuple((x.service_type_id, x.count) for x in r.referrals.all()),
            )
            for r in VisitReport.objects.filter(visit__in=pool).prefetch_related("referrals")
        ]  # fmt: skip
        check = check_burst(plan, answers, stored, pool=pool)
        survivor_ok = ok_probes > 0 and outages["survivor_failing_kill_s"] < 2
        results = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "servers": len(servers), "rate_limit": limits,
            "burst": {**sent, "submissions": len(plan), "visits": check.visits,
                      "reports": check.reports,
                      "statuses": {str(k): v for k, v in sorted(check.statuses.items())},
                      "ok": check.ok, "problems": check.problems[:20]},
            "outages": {k: round(v, 1) for k, v in outages.items()},
            "survivor_probes": {"answered": ok_probes, "asked": all_probes},
        }  # fmt: skip
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        postgres.stop()
    text = summary(results)
    print("\n" + text + "\n", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    doc = PERFORMANCE.read_text()
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        PERFORMANCE.write_text(head + START + "\n" + text + "\n" + END + rest.split(END, 1)[1])
    failures = [] if limits["ok"] else [f"rate limit: {limits['statuses']}"]
    failures += [] if check.ok else [f"burst check: {check.problems[:3]}"]
    failures += [] if survivor_ok else ["the surviving instance stopped answering"]
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def summary(r: dict) -> str:
    o, b = r["outages"], r["burst"]
    retries = ", ".join(f"{n} × {kind}" for kind, n in sorted(b["retries"].items())) or "none"
    return "\n".join([
        f"Drill {r['date']} (load average {r['load_average'][0]}): two gunicorn instances "
        f"(1 worker × 4 threads each, DB_POOL_SIZE=4), PostgreSQL and Redis of their own.",
        "",
        f"- **Rate limit across both**: {r['rate_limit']['sent']} requests for a stop page "
        f"from one address, alternating: answers {r['rate_limit']['statuses']} "
        f"({'exactly the limit, 60, passed' if r['rate_limit']['ok'] else 'NOT the limit'}).",
        f"- **Burst**: {b['submissions']} submissions in {b['wall_seconds']} s; retried "
        f"{retries}; {b['lost_201_replayed']} lost 201s answered 200 on retry; the "
        f"database holds {b['reports']} reports for {b['visits']} visits: "
        f"**check {'passed' if b['ok'] else 'FAILED'}**.",
        f"- **kill -9 of one instance** at 20 %: {o['failed_tries_kill']} tries without "
        f"answer, all sent again to the other within {o['killed_retried_within_s']} s; the "
        f"other failed requests for {o['survivor_failing_kill_s']} s, its probes answered "
        f"{r['survivor_probes']['answered']} of {r['survivor_probes']['asked']} from then on.",
        f"- **PostgreSQL restarted** at 45 %: down {o['postgres_down_s']} s; the surviving "
        f"instance failed requests for {o['survivor_failing_postgres_s']} s "
        f"({o['failed_tries_postgres']} tries sent again).",
        f"- **Redis restarted** at 70 %: down {o['redis_down_s']} s; the surviving instance "
        f"failed requests for {o['survivor_failing_redis_s']} s "
        f"({o['failed_tries_redis']} tries; rate limits fail open).",
    ])  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
