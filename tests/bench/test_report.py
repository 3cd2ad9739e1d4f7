"""The benchmark's table, targets and section of docs/performance.md (bench.report)."""

import pytest

from bench.report import DOC_END, DOC_START, doc_with, summary, table, targets

GOALS = {"page_ratio": 2.0, "reach_national_ms": 150.0, "report_rps": 200.0, "seed_s": 90.0}


def phase(median, rps):
    return {"median_ms": median, "p95_ms": median * 1.5, "rps": rps, "statuses": {"200": 9}}


@pytest.fixture
def results():
    return {
        "date": "2026-11-23T15:00:00+01:00",
        "machine": {"cores": 2, "load_average_before": [1.0, 2.0, 3.0], "postgresql": "PG 15"},
        "server": {"workers": 2, "threads": 4},
        "dataset": {
            "stops": 300,
            "visits": 90800,
            "reports": 81674,
            "seeded_this_run": True,
            "seed_seconds": 60.5,
            "seeded_on": "2026-11-23",
        },
        "floor": {
            "view": {"clients_1": phase(1.0, 900), "clients_20": phase(9.0, 1500)},
            "reach_rows_sql_ms": {"national": 11.0, "centre": 4.0},
        },
        "pages": {
            "reach_national": {
                "label": "Reach, national",
                "queries": 12,
                "floor_ms": 80.0,
                "ratio": 1.5,
                "clients_1": phase(120.0, 8),
                "clients_20": phase(900.0, 12),
            },
            "report_api": {
                "label": "Report API",
                "queries": 11,
                "floor_ms": 8.0,
                "ratio": 2.5,
                "clients_1": phase(20.0, 50),
                "clients_20": phase(150.0, 140),
            },
        },
        "burst": {
            "submissions": 2000,
            "clients": 50,
            "kinds": {"resend": 200, "conflict": 50},
            "statuses": {"200": 200, "201": 1750, "409": 50},
            "wall_seconds": 20.0,
            "visits": 1750,
            "reports": 1750,
            "ok": True,
        },
    }


def test_the_table_has_the_floor_and_a_row_per_page(results):
    lines = table(results).splitlines()
    assert len(lines) == 2 + 3
    assert lines[2].startswith("| Bare Django view")
    assert lines[3] == (
        "| Reach, national | 12 | 120 ms | 180 ms | 8 | 900 ms | 1,350 ms | 12 | 80.0 ms | 1.5× |"
    )


def test_each_target_is_met_or_missed_with_its_value(results):
    checks = {c["target"]: (c["value"], c["met"]) for c in targets(results, GOALS)}
    assert checks["reach_national: median ≤ 2× its floor"] == (1.5, True)
    assert checks["report_api: median ≤ 2× its floor"] == (2.5, False)
    assert checks["reach dashboard national: median ≤ 150 ms"] == (120.0, True)
    assert checks["report submission: ≥ 200 req/s at 20 clients"] == (140, False)
    assert checks["seeding the national five-year set ≤ 90 s"] == (60.5, True)


def test_the_summary_says_when_where_and_whether_the_burst_passed(results):
    results["targets"] = targets(results, GOALS)
    text = summary(results)
    assert "Measured 2026-11-23T15:00:00+01:00 on 2 cores" in text
    assert "seeded in this run in 60.5 s" in text
    assert "1750 × 201" in text and "**check passed**" in text
    assert "- **missed**: report submission: ≥ 200 req/s at 20 clients (140)" in text


def test_the_section_between_the_markers_is_replaced():
    doc = f"# Title\n\n{DOC_START}\nold table\n{DOC_END}\n\n## Next\n"
    updated = doc_with(doc, "new table")
    assert updated == f"# Title\n\n{DOC_START}\nnew table\n{DOC_END}\n\n## Next\n"
    assert doc_with(updated, "newer").count(DOC_START) == 1


def test_a_doc_without_markers_is_refused():
    with pytest.raises(ValueError):
        doc_with("# Title\n", "table")


def test_the_benchmark_writes_into_the_performance_guide_which_has_its_markers():
    from bench.run import PERFORMANCE, ROOT

    assert PERFORMANCE == ROOT / "docs" / "performance.md"
    text = PERFORMANCE.read_text()
    assert text.count(DOC_START) == 1 and text.count(DOC_END) == 1
    # The front page no longer holds generated tables that would go stale there.
    assert DOC_START not in (ROOT / "README.md").read_text()


def _with_route(results, ratio):
    results["pages"]["route"] = {
        "label": "Day route of the van, road legs kept (coordinator)",
        "queries": 7,
        "floor_ms": 2.0,
        "ratio": ratio,
        "clients_1": phase(2.0 * ratio, 60),
        "clients_20": phase(90.0, 130),
    }
    results["targets"] = targets(results, GOALS)
    return results


def test_the_day_route_has_its_row_and_says_whether_it_met_its_target(results):
    text = summary(_with_route(results, 1.8))
    assert "| Day route of the van, road legs kept (coordinator) | 7 | 3.6 ms |" in text
    assert "7 queries, 3.6 ms at one client against a floor of 2.0 ms, 1.8×" in text
    assert "(route: median ≤ 2× its floor: target met)" in text
    assert "Measured alone" not in text


def test_a_day_route_over_twice_its_floor_is_said_to_fail_the_run(results):
    results = _with_route(results, 6.8)
    results["route_phase"] = {
        "date": "2026-12-02T02:12:48+01:00",
        "load_average_before": [0.31, 1.31, 1.45],
        "floor_view_ms": 0.6,
    }
    text = summary(results)
    assert "6.8× (route: median ≤ 2× its floor: **target missed, the run fails**)" in text
    assert "Measured alone (`python -m bench.run --phase route`) 2026-12-02T02:12:48" in text
    assert "- **missed**: route: median ≤ 2× its floor (6.8)" in text


def test_the_run_fails_on_a_day_route_over_twice_its_floor_or_without_kept_legs():
    from bench.run import _route_failures

    route = {"ratio": 1.9, "floor_ms": 2.0, "clients_1": {"median_ms": 3.8}}
    assert _route_failures(route, []) == []
    assert _route_failures({**route, "ratio": 2.1}, []) == [
        "day route: median 3.8 ms is 2.1× its floor (2.0 ms), over 2×"
    ]
    assert _route_failures(route, ["the route page shows the estimate, not the road network"]) == [
        "day route: the route page shows the estimate, not the road network"
    ]
