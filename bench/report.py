"""The benchmark's results as a table, the targets, its section of docs/performance.md (pure)."""

from __future__ import annotations

import re

from bench.hostile import summary_line

DOC_START = "<!-- bench:start (written by make bench) -->"
DOC_END = "<!-- bench:end -->"


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _rps(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}×"


def table(results: dict) -> str:
    """The pages (and the floor view) as a Markdown table."""
    lines = [
        "| page | queries | median, 1 client | p95, 1 | req/s, 1 | median, 20 clients "
        "| p95, 20 | req/s, 20 | floor | × floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [("Bare Django view (`/bench/floor/`)", results["floor"]["view"])]
    rows += [(page["label"], page) for page in results["pages"].values()]
    for label, row in rows:
        one, many = row["clients_1"], row["clients_20"]
        lines.append(
            f"| {label} | {row.get('queries', 0)} | {_ms(one['median_ms'])} "
            f"| {_ms(one['p95_ms'])} | {_rps(one['rps'])} | {_ms(many['median_ms'])} "
            f"| {_ms(many['p95_ms'])} | {_rps(many['rps'])} | {_ms(row.get('floor_ms'))} "
            f"| {_times(row.get('ratio'))} |"
        )
    return "\n".join(lines)


def targets(results: dict, goals: dict) -> list[dict]:
    """Each target of the issue with the measured value and whether it was met."""
    checks = []
    for key, page in results["pages"].items():
        checks.append(
            {
                "target": f"{key}: median ≤ {goals['page_ratio']:g}× its floor",
                "value": page.get("ratio"),
                "met": page.get("ratio") is not None and page["ratio"] <= goals["page_ratio"],
            }
        )
    national = results["pages"].get("reach_national", {}).get("clients_1", {})
    checks.append(
        {
            "target": f"reach dashboard national: median ≤ {goals['reach_national_ms']:g} ms",
            "value": national.get("median_ms"),
            "met": (national.get("median_ms") or 1e9) <= goals["reach_national_ms"],
        }
    )
    api = results["pages"].get("report_api", {}).get("clients_20", {})
    checks.append(
        {
            "target": f"report submission: ≥ {goals['report_rps']:g} req/s at 20 clients",
            "value": api.get("rps"),
            "met": (api.get("rps") or 0) >= goals["report_rps"],
        }
    )
    seed = results["dataset"].get("seed_seconds")
    checks.append(
        {
            "target": f"seeding the national five-year set ≤ {goals['seed_s']:g} s",
            "value": seed,
            "met": seed is not None and seed <= goals["seed_s"],
        }
    )
    return checks


def summary(results: dict) -> str:
    """The Markdown that goes into docs/performance.md and is printed: context, table, targets."""
    machine, data, floor = results["machine"], results["dataset"], results["floor"]
    burst = results["burst"]
    load = " / ".join(f"{x:.2f}" for x in machine["load_average_before"])
    if machine.get("load_average_after"):
        load += ", after it " + " / ".join(f"{x:.2f}" for x in machine["load_average_after"])
    seeded = (
        f"seeded in this run in {data['seed_seconds']} s"
        if data.get("seeded_this_run")
        else f"reused; seeded {data['seeded_on']} in {data.get('seed_seconds', '?')} s"
    )
    lines = [
        f"Measured {results['date']} on {machine['cores']} cores "
        f"(load average before the run {load}; {machine['postgresql']}), "
        f"{results['server']['workers']} gunicorn gthread workers × "
        f"{results['server']['threads']} threads, DEBUG off, throttles, rate limits and "
        f"login lockout off. Data: {data['stops']} stops, {data['visits']:,} visits, "
        f"{data['reports']:,} reports ({seeded}).",
        "",
        table(results),
        "",
        "Floor = the bare view's median + the page's own SQL run with psycopg. "
        f"The dashboard's figures alone (`reach_rows_queryset`): "
        f"{_ms(floor['reach_rows_sql_ms']['national'])} national, "
        f"{_ms(floor['reach_rows_sql_ms']['centre'])} for one centre.",
        "",
        f"Burst: {burst['submissions']:,} report submissions from {burst['clients']} clients "
        f"({burst['kinds'].get('resend', 0)} resent, {burst['kinds'].get('conflict', 0)} "
        f"conflicting) in {burst['wall_seconds']:.1f} s; answers "
        + ", ".join(f"{n} × {code}" for code, n in sorted(burst["statuses"].items()))
        + f"; the database holds {burst['reports']:,} reports for {burst['visits']:,} visits: "
        + ("**check passed**." if burst["ok"] else "**CHECK FAILED**."),
        "",
    ]
    if results.get("hostile"):
        lines += [summary_line(results["hostile"]), ""]
    route = results["pages"].get("route")
    if route:
        check = next(c for c in results["targets"] if c["target"].startswith("route:"))
        lines += [route_line(route, results.get("route_phase"), check), ""]
    for check in results["targets"]:
        value = check["value"]
        shown = "–" if value is None else f"{value:g}"
        lines.append(f"- {'met' if check['met'] else '**missed**'}: {check['target']} ({shown})")
    return "\n".join(lines)


def route_line(route: dict, phase: dict | None, check: dict) -> str:
    """The day route's sentence: its legs kept, its multiple, and when, if measured alone."""
    when = ""
    if phase:
        load = " / ".join(f"{x:.2f}" for x in phase["load_average_before"])
        when = (
            f" Measured alone (`python -m bench.run --phase route`) {phase['date']}, "
            f"load average before {load}, with its own floor view ({_ms(phase['floor_view_ms'])})."
        )
    verdict = "target met" if check["met"] else "**target missed, the run fails**"
    return (
        f"Day route of the van, with its road legs kept (the bench's own road network over "
        f"the centre's stops, every leg in RoadLeg before the clock starts): "
        f"{route['queries']} queries, {_ms(route['clients_1']['median_ms'])} at one client "
        f"against a floor of {_ms(route.get('floor_ms'))}, {_times(route.get('ratio'))} "
        f"({check['target']}: {verdict}).{when}"
    )


def doc_with(doc: str, section: str) -> str:
    """``doc`` with the text between the benchmark's markers replaced by ``section``."""
    pattern = re.compile(re.escape(DOC_START) + r".*?" + re.escape(DOC_END), re.S)
    if not pattern.search(doc):
        raise ValueError("docs/performance.md has no benchmark markers")
    block = f"{DOC_START}\n{section}\n{DOC_END}"
    return pattern.sub(lambda _m: block, doc, count=1)
