"""
The hostile-input phase of ``make bench`` (docs/performance.md): while
``CLIENTS`` clients send 250 KB notes through the API (a report and a home visit,
each refused with 400 for its length), the other pages are loaded at
``PAGE_CLIENTS`` clients, and their 95th percentile is set against the same load
without the hostile clients. One such note used to hold a server worker for
minutes (the note rule's e-mail pattern was quadratic and ran on over-long notes).
"""

from __future__ import annotations

import uuid

from bench.stats import summarize

CLIENTS = 4
NOTE_CHARACTERS = 250_000
PAGE_CLIENTS = 4
PAGE_BOUNDS = (300, 6.0)  # at most requests, at most seconds, per page and round
# The pages stay usable: p95 under attack at most this multiple of the p95 without.
P95_GROWTH_LIMIT = 2.0
PAGES = ("week", "reach_centre", "today")


def note() -> str:
    """250,000 characters with no space and no @ (what made the old pattern backtrack
    from every character), and a phone number at the end."""
    return "a" * (NOTE_CHARACTERS - 14) + " ring 12345678"


def requests(*, visit_id: int, centre_id: int, date: str) -> list[dict]:
    """A report and a home visit, each with the huge note: both answered 400."""
    return [
        {
            "method": "PUT",
            "path": f"/api/v1/visits/{visit_id}/report/",
            "body": {"submission_id": str(uuid.uuid4()), "people_met": 5, "note": note()},
        },
        {
            "method": "POST",
            "path": "/api/v1/home-visits/",
            "body": {
                "submission_id": str(uuid.uuid4()),
                "centre": centre_id,
                "date": date,
                "duration_minutes": 60,
                "note": note(),
            },
        },
    ]


def phases(pages: list, *, login, hostile_requests: list[dict], page_login) -> list[dict]:
    """For each page: the page alone, then the page with the hostile clients alongside."""
    most, seconds = PAGE_BOUNDS
    out = []
    for page in pages:
        base = {
            "concurrency": PAGE_CLIENTS,
            "max_requests": most,
            "max_seconds": seconds,
            "warmup": 1,
            "auth": page_login(page),
            "requests": page.requests(),
        }
        out.append({**base, "name": f"hostile:{page.key}:alone"})
        attack = {
            "name": f"hostile:{page.key}:attackers",
            "concurrency": CLIENTS,
            "max_requests": 1_000_000,
            "max_seconds": seconds + 120,  # stopped when the page's clients are done
            "warmup": 0,
            "auth": login,
            "requests": hostile_requests,
            "record": False,
        }
        out.append({**base, "name": f"hostile:{page.key}:attacked", "alongside": [attack]})
    return out


def results(found: dict[str, dict], pages: list) -> dict:
    """Each page's p95 alone and under attack, the attackers' answers, and the check."""
    out = {"clients": CLIENTS, "note_characters": NOTE_CHARACTERS, "pages": {}}
    attackers_latencies, attackers_statuses, wall = [], {}, 0.0
    problems = []
    for page in pages:
        alone = found[f"hostile:{page.key}:alone"]
        attacked = found[f"hostile:{page.key}:attacked"]
        attack = attacked["alongside"][0]
        attackers_latencies += attack["latencies_ms"]
        wall += attack["wall_seconds"]
        for status, count in attack["statuses"].items():
            attackers_statuses[status] = attackers_statuses.get(status, 0) + count
        row = {
            "label": page.label,
            "alone": {**summarize(alone["latencies_ms"], alone["wall_seconds"]),
                      "statuses": alone["statuses"]},
            "attacked": {**summarize(attacked["latencies_ms"], attacked["wall_seconds"]),
                         "statuses": attacked["statuses"]},
        }  # fmt: skip
        before, during = row["alone"]["p95_ms"], row["attacked"]["p95_ms"]
        row["growth"] = round(during / before, 2) if before and during else None
        out["pages"][page.key] = row
        for phase in ("alone", "attacked"):
            wrong = {s: n for s, n in row[phase]["statuses"].items() if s != "200"}
            if wrong:
                problems.append(f"{page.key} {phase} answered {wrong}")
        if row["growth"] is None or row["growth"] > P95_GROWTH_LIMIT:
            problems.append(f"{page.key}: p95 {before} ms alone, {during} ms under attack")
    out["attackers"] = {**summarize(attackers_latencies, wall), "statuses": attackers_statuses}
    wrong = {s: n for s, n in attackers_statuses.items() if s != "400"}
    if wrong or not attackers_latencies:
        problems.append(f"the huge notes were answered {attackers_statuses} (all 400 expected)")
    out["problems"] = problems
    out["ok"] = not problems
    return out


def summary_line(hostile: dict) -> str:
    """The phase's sentence in docs/performance.md."""
    attackers = hostile["attackers"]
    pages = "; ".join(
        f"{row['label'].lower()} {row['alone']['p95_ms']:.0f} → {row['attacked']['p95_ms']:.0f} ms"
        for row in hostile["pages"].values()
        if row["alone"]["p95_ms"] is not None and row["attacked"]["p95_ms"] is not None
    )
    answers = ", ".join(f"{n:,} × {code}" for code, n in sorted(attackers["statuses"].items()))
    load = hostile.get("load_average_after")
    when = hostile.get("date", "")
    if load:
        when += ", load average after it " + " / ".join(f"{x:.2f}" for x in load)
    return (
        f"Hostile input ({when}): while {hostile['clients']} clients sent "
        f"{hostile['note_characters'] // 1000} KB notes through the API ({answers}; median "
        f"{attackers['median_ms']:.0f} ms, p95 {attackers['p95_ms']:.0f} ms each), the pages' "
        f"p95 at "
        f"{PAGE_CLIENTS} clients, alone → under attack: {pages} "
        f"(limit {P95_GROWTH_LIMIT:g}×): "
        + ("**check passed**." if hostile["ok"] else "**CHECK FAILED**.")
    )
