"""
``make bench SCALE=10``: the reach pages on the national five-year set and on ten
times it, side by side (docs/performance.md).

    .venv/bin/python -m bench.scale --times 10

1. Both sets are built once with the bulk loader (``bench.run.ensure_dataset``:
   seed time, peak memory, database size) in ``drivein_bench_s1`` and
   ``drivein_bench_s10`` (``BENCH_S1_URL`` / ``BENCH_S10_URL`` to use others).
2. One worker process per set (``--worker``: Django with the server's production
   settings on that database, logged in as leadership) answers "time this page".
   The pages are timed in turns, 1× then 10× then 1× …, each run alternating which
   goes first, so the machine's load falls on both alike; the ratio is taken from
   the medians of the same run.
3. Each page's floor is its own SQL replayed with psycopg plus the bare view
   (``/bench/floor/``) through the same client; the CSV's rows a second are its data
   rows over its median time.
4. The table goes to ``bench/results-scale.json`` and docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time

from bench.run import PERFORMANCE, ROOT, ensure_dataset, manage, say, server_env

RESULTS = ROOT / "bench" / "results-scale.json"


def url(times: int) -> str:
    """The database of the set ×``times``: BENCH_S<times>_URL, or drivein_bench_s<times>."""
    default = f"postgres://postgres@127.0.0.1:5432/drivein_bench_s{times}"
    return os.environ.get(f"BENCH_S{times}_URL") or default


RUNS = 7
REPLAYS = 5
CENTRE = "Nykøbing Mors"  # twelve stops at every scale
FUNDER = "Vestjysk Sparekassefond (demo)"  # six stops of Skjern at every scale
# key, label, whether its own rows grow with the data (national) or not
PAGES = [
    ("national_week", "Dashboard, national, one week", True),
    ("national_year", "Dashboard, national, one year", True),
    ("national_5y", "Dashboard, national, five years", True),
    ("centre_week", "Dashboard, one centre's week (12 stops)", False),
    ("funder_year", "Dashboard, one funder's year (6 stops)", False),
    ("csv_year", "CSV, national, one year", True),
]
START = "<!-- bench-scale:start (written by make bench SCALE=10) -->"
END = "<!-- bench-scale:end -->"


# The worker (one per data set) -------------------------------------------------------


def _paths(seeded_on: dt.date) -> dict[str, str]:
    # Called in the worker after django.setup() (its data set's environment).
    from core.weeks import IsoWeek
    from stops.models import CentreSite, Funder

    week = IsoWeek.of(seeded_on).previous
    year = seeded_on.year - 1
    centre = CentreSite.objects.get(name=CENTRE).pk
    funder = Funder.objects.get(name=FUNDER).pk
    first = seeded_on - dt.timedelta(weeks=5 * 52)
    return {
        "national_week": f"/reach/?week={week}",
        "national_year": f"/reach/?year={year}",
        "national_5y": f"/reach/?from={first:%Y-%m-%d}&to={seeded_on:%Y-%m-%d}",
        "centre_week": f"/reach/?week={week}&centre={centre}",
        "funder_year": f"/reach/?year={year}&funder={funder}",
        "csv_year": f"/reach/export.csv?year={year}",
    }


def worker() -> None:
    # After django.setup(): the settings come from this worker's environment.
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import replay_ms

    seeded_on = dt.date.fromisoformat(os.environ["BENCH_SEEDED_ON"])
    paths = _paths(seeded_on)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="ledelse"))

    def get(path: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, body.count(b"\n"), len(body)

    for path in paths.values():
        get(path)  # warm: templates, plans, caches
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        key = job["page"]
        if job.get("explain"):
            with CaptureQueriesContext(connection) as captured:
                get(paths[key])
            statements = [q["sql"] for q in captured.captured_queries]
            answer = {"plans": explain(os.environ["DATABASE_URL"], statements)}
        elif job.get("floor"):
            with CaptureQueriesContext(connection) as captured:
                get(paths[key])
            statements = [q["sql"] for q in captured.captured_queries]
            sql = replay_ms(os.environ["DATABASE_URL"], statements, REPLAYS)
            bare = statistics.median(get("/bench/floor/")[0] for _ in range(20))
            answer = {"sql_ms": sql, "bare_ms": bare, "queries": len(statements)}
        else:
            ms, lines, size = get(paths[key])
            answer = {"ms": ms, "lines": lines, "bytes": size}
        print(json.dumps(answer), flush=True)


def explain(database_url: str, statements: list[str]) -> list[dict]:
    """Each statement's EXPLAIN (ANALYZE, BUFFERS) text and its time, rolled back."""
    import psycopg

    from bench.pages import _plain

    found = []
    with psycopg.connect(database_url) as conn:
        for sql in statements:
            plain = _plain(sql)
            if not plain.lstrip().upper().startswith(("SELECT", "WITH", "(")):
                continue
            conn.execute(plain).fetchall()  # warm
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                conn.execute(plain).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {plain}").fetchall()
            plan = "\n".join(row[0] for row in rows)
            found.append({"sql": plain, "ms": statistics.median(timings), "plan": plan})
        conn.rollback()
    return found


def explain_page(times: int, key: str) -> None:
    """``--explain PAGE``: each query of one page at ×``times``, slowest first."""
    env = server_env(url(times))
    dataset = ensure_dataset(url(times), env, times=times)
    worker = Worker(times, dataset)
    try:
        plans = worker.ask(page=key, explain=True)["plans"]
    finally:
        worker.stop()
    print(f"{key} at {times}×: {len(plans)} statements, {sum(p['ms'] for p in plans):.1f} ms")
    for found in sorted(plans, key=lambda p: -p["ms"]):
        print(f"\n=== {found['ms']:.1f} ms\n{found['sql']}\n{found['plan']}")


class Worker:
    def __init__(self, times: int, dataset: dict):
        env = {**server_env(url(times)), "BENCH_SEEDED_ON": dataset["seeded_on"]}
        self.times = times
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.scale", "--worker"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.process.stdout.readline())["ready"]

    def ask(self, **job) -> dict:
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# The comparison ----------------------------------------------------------------------


def measure(times: int) -> dict:
    load_before = os.getloadavg()
    datasets = {}
    for scale in (1, times):
        env = server_env(url(scale))
        datasets[scale] = ensure_dataset(url(scale), env, times=scale)
    manage("collectstatic", "--noinput", "-v", "0", env=server_env(url(1)))
    workers = {scale: Worker(scale, datasets[scale]) for scale in (1, times)}
    try:
        say(f"Timing {len(PAGES)} pages × {RUNS} runs at 1× and {times}×, in turns.")
        timings: dict[tuple[str, int], list[dict]] = {}
        for run in range(RUNS):
            for key, _label, _grows in PAGES:
                order = (1, times) if run % 2 == 0 else (times, 1)
                for scale in order:
                    timings.setdefault((key, scale), []).append(workers[scale].ask(page=key))
        floors = {
            (key, scale): workers[scale].ask(page=key, floor=True)
            for key, _label, _grows in PAGES
            for scale in (1, times)
        }
    finally:
        for found in workers.values():
            found.stop()
    pages = {}
    for key, label, grows in PAGES:
        row = {"label": label, "own_rows_grow": grows}
        for scale in (1, times):
            runs = timings[key, scale]
            floor = floors[key, scale]
            median = statistics.median(r["ms"] for r in runs)
            row[f"x{scale}"] = {
                "median_ms": round(median, 1),
                "queries": floor["queries"],
                "floor_ms": round(floor["sql_ms"] + floor["bare_ms"], 1),
                "x_floor": round(median / (floor["sql_ms"] + floor["bare_ms"]), 2),
                "lines": runs[0]["lines"],
                "bytes": runs[0]["bytes"],
            }
            if key == "csv_year":
                row[f"x{scale}"]["rows_per_s"] = round((runs[0]["lines"] - 1) / median * 1000)
        row["ratio"] = round(row[f"x{times}"]["median_ms"] / row["x1"]["median_ms"], 2)
        pages[key] = row
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "times": times,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "runs": RUNS,
        "datasets": {str(k): v for k, v in datasets.items()},
        "pages": pages,
    }


def targets(results: dict) -> list[tuple[str, float | None, bool]]:
    """The issue's targets for the two scales (issue 17, item 3)."""
    times = results["times"]
    pages = results["pages"]
    big = f"x{times}"
    found = []
    for key, page in pages.items():
        limit = 1.3 if not page["own_rows_grow"] else float(times)
        found.append((f"{key}: {times}×/1× ≤ {limit:g}", page["ratio"], page["ratio"] <= limit))
        found.append(
            (f"{key}: at 1× ≤ 1.5× its floor", page["x1"]["x_floor"], page["x1"]["x_floor"] <= 1.5)
        )
        same = page["x1"]["queries"] == page[big]["queries"]
        found.append((f"{key}: the same queries at both scales", page[big]["queries"], same))
    five = pages["national_5y"][big]["median_ms"]
    found.append((f"national_5y at {times}× ≤ 1,000 ms", five, five <= 1000))
    week = pages["national_week"]["x1"]["median_ms"]
    found.append(("national_week at 1× ≤ 100 ms", week, week <= 100))
    rate = pages["csv_year"][big].get("rows_per_s", 0)
    found.append((f"csv_year at {times}× ≥ 50,000 rows/s", rate, rate >= 50_000))
    for scale, data in results["datasets"].items():
        limit = 30 if scale == "1" else 120
        seconds = data.get("seed_seconds")
        found.append((f"building the {scale}× set ≤ {limit} s", seconds, (seconds or 1e9) <= limit))
        if scale != "1":
            size = data.get("database_mb")
            found.append((f"the {scale}× set ≤ 2,048 MB", size, (size or 1e9) <= 2048))
    return found


def summary(results: dict) -> str:
    times = results["times"]
    big = f"x{times}"
    sets = results["datasets"]
    lines = [
        f"Measured {results['date']} on {results['cores']} cores (load average before "
        f"{' / '.join(map(str, results['load_average_before']))}, after "
        f"{' / '.join(map(str, results['load_average_after']))}), in-process, medians of "
        f"{results['runs']} runs taken in turns. Sets: "
        + "; ".join(
            f"{k}×: {v.get('seed_seconds', '–')} s to build, {v.get('database_mb', '–')} MB, "
            f"loader peak {v.get('peak_rss_mb', '–')} MB"
            for k, v in sets.items()
        )
        + ".",
        "",
        f"| page | 1× | queries | 1× floor | 1× × floor | {times}× | queries | {times}× / 1× |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in results["pages"].values():
        one, many = page["x1"], page[big]
        lines.append(
            f"| {page['label']} | {one['median_ms']:,.1f} ms | {one['queries']} "
            f"| {one['floor_ms']:,.1f} ms | {one['x_floor']:.2f}× | {many['median_ms']:,.1f} ms "
            f"| {many['queries']} | **{page['ratio']:.2f}×** |"
        )
    rate = results["pages"]["csv_year"][big].get("rows_per_s")
    lines += ["", f"CSV of a national year at {times}×: {rate:,} rows a second.", ""]
    for target, value, met in targets(results):
        lines.append(f"- {'met' if met else '**missed**'}: {target} ({value})")
    return "\n".join(lines)


def doc_with(text: str, section: str) -> str:
    block = f"{START}\n{section}\n{END}"
    if START in text:
        before, rest = text.split(START, 1)
        return before + block + rest.split(END, 1)[1]
    return text.replace("<!-- bench:end -->", "<!-- bench:end -->\n\n" + block, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--explain", metavar="PAGE", choices=[key for key, _l, _g in PAGES])
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    if args.explain:
        explain_page(args.times, args.explain)
        return 0
    results = measure(args.times)
    text = summary(results)
    print("\n" + text + "\n", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    PERFORMANCE.write_text(doc_with(PERFORMANCE.read_text(), text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
