"""
The benchmark's Django side (imported after ``django.setup()`` by bench.run): the
pages to load, the visits the report submissions go to, and the in-process
measurements (queries per request, each page's SQL and its replay with psycopg).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token

from bench import CENTRE_NAME
from bench.burst import Submission
from core.weeks import IsoWeek
from planning.legs import FillResult, legs_fill
from planning.models import RoadLeg
from reach.params import resolve_selection
from reach.selectors.figures import reach_rows_queryset, service_types
from stops.models import CentreSite, Stop
from visits.models import HomeVisit, ReportReferral, ServiceType, Visit, VisitReport

BENCH_STOP_SLUG = "bench-burst"
# Statements that only the benchmark's own rollback adds around a write.
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class Page:
    """One page or endpoint under load, as one demo user."""

    key: str
    label: str
    username: str
    method: str = "GET"
    paths: list[str] = field(default_factory=list)
    auth: str = "session"  # or "token"
    bodies: list[dict] = field(default_factory=list)  # for PUT, one per request

    def requests(self) -> list[dict]:
        if self.bodies:
            return [
                {"method": self.method, "path": p, "body": b}
                for p, b in zip(self.paths, self.bodies, strict=True)
            ]
        return [{"method": self.method, "path": p} for p in self.paths]


def periods(seeded_on: dt.date) -> dict:
    """The weeks and year the pages show, fixed by the seed date so runs compare."""
    week = IsoWeek.of(seeded_on)
    return {"week": week, "last_week": week.previous, "year": seeded_on.year - 1}


def read_pages(seeded_on: dt.date) -> list[Page]:
    """The pages that only read (the report API is added with its visits)."""
    centre = CentreSite.objects.get(name=CENTRE_NAME)
    p = periods(seeded_on)
    return [
        Page(
            "week",
            "Week schedule of a centre (coordinator)",
            "koordinator",
            paths=[f"/centres/{centre.pk}/week/?week={p['week']}"],
        ),
        Page(
            "reach_national",
            "Reach dashboard, national, one week",
            "ledelse",
            paths=[f"/reach/?week={p['last_week']}"],
        ),
        Page(
            "reach_centre",
            "Reach dashboard, one centre, one week",
            "ledelse",
            paths=[f"/reach/?week={p['last_week']}&centre={centre.pk}"],
        ),
        Page("today", "Today page of a volunteer", "frivillig", paths=["/today/"]),
        Page(
            "csv_year",
            "CSV export, national, one year",
            "ledelse",
            paths=[f"/reach/export.csv?year={p['year']}"],
        ),
        Page(
            "route",
            "Day route of the van, road legs kept (coordinator)",
            "koordinator",
            paths=[f"/centres/{centre.pk}/route/{route_day(centre, p['week'])}/"],
        ),
    ]


def route_day(centre: CentreSite, week: IsoWeek) -> dt.date:
    """The day of ``week`` on which the centre's van has the most visits (the first such)."""
    days = (
        Visit.objects.filter(stop__centre=centre, date__range=(week.monday, week.sunday))
        .values("date")
        .annotate(visits=Count("pk"))
        .order_by("-visits", "date")
    )
    return days[0]["date"] if days else week.monday


def keep_legs() -> FillResult:
    """
    Every leg between the bench centre and its stops kept in RoadLeg, as the background
    worker keeps them, so the route page reads them and asks the engine for none.
    """
    return legs_fill(centre_ids=[bench_centre_id()])


def route_problems(page: Page) -> list[str]:
    """What would make the route page's figure not the one with the legs kept."""
    user = get_user_model().objects.get(username=page.username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    kept = RoadLeg.objects.count()
    response = client.get(page.paths[0])
    problems = []
    if response.status_code != 200:
        problems.append(f"the route page answered {response.status_code}")
    # The page's note when its drives come from the road network, not the estimate.
    note = "Distances and drive times on the road network (OpenStreetMap)."
    with translation.override(settings.LANGUAGE_CODE):
        if translation.gettext(note) not in response.content.decode():
            problems.append("the route page shows the estimate, not the road network")
    if RoadLeg.objects.count() != kept:
        problems.append("the route page computed legs that should have been kept")
    return problems


def report_page(submissions: list[Submission]) -> Page:
    """``PUT /api/v1/visits/<id>/report/``, each request a new report for its own visit."""
    return Page(
        "report_api",
        "Report submission (API, new reports)",
        "koordinator",
        method="PUT",
        auth="token",
        paths=[f"/api/v1/visits/{s.visit_id}/report/" for s in submissions],
        bodies=[s.body() for s in submissions],
    )


# Visits for the submissions ----------------------------------------------------------


def remove_bench_visits() -> int:
    """Delete the benchmark's stop, visits, reports and their history (from any run)."""
    stop = Stop.objects.filter(slug=BENCH_STOP_SLUG).first()
    if stop is None:
        return 0
    visits = Visit.objects.filter(stop=stop)
    visit_ids = list(visits.values_list("pk", flat=True))
    reports = VisitReport.objects.filter(visit__in=visit_ids)
    report_ids = list(reports.values_list("pk", flat=True))
    with transaction.atomic():
        ReportReferral.history.model.objects.filter(report_id__in=report_ids).delete()
        ReportReferral.objects.filter(report__in=report_ids).delete()
        VisitReport.history.model.objects.filter(visit_id__in=visit_ids).delete()
        reports.delete()
        Visit.history.model.objects.filter(stop_id=stop.pk).delete()
        visits.delete()
        Stop.history.model.objects.filter(id=stop.pk).delete()
        stop.delete()
    return len(visit_ids)


def make_bench_visits(count: int, *, before: dt.date) -> list[int]:
    """
    ``count`` past, unreported visits at a stop of the coordinator's centre made for
    the benchmark, dated before ``before`` (older than the seeded history, so no
    measured page counts them). Removed again by ``remove_bench_visits``.
    """
    centre = CentreSite.objects.get(name=CENTRE_NAME)
    stop = Stop.objects.create(
        centre=centre,
        community="Benchmark",
        venue_name="Benchmark (make bench)",
        slug=BENCH_STOP_SLUG,
        roster_position=999,
        active=False,
    )
    starts = [dt.time(10), dt.time(13), dt.time(16)]
    visits = [
        Visit(
            stop=stop,
            date=before - dt.timedelta(days=1 + i // len(starts)),
            start_time=starts[i % len(starts)],
            end_time=dt.time(starts[i % len(starts)].hour + 2),
        )
        for i in range(count)
    ]
    Visit.objects.bulk_create(visits, batch_size=2000)
    return [v.pk for v in visits]


def bench_centre_id() -> int:
    return CentreSite.objects.get(name=CENTRE_NAME).pk


def home_visit_count() -> int:
    return HomeVisit.objects.count()


def stored_for_hostile(visit_id: int, home_visits_before: int) -> list[str]:
    """What the refused huge notes must not have left: a report, a home visit."""
    problems = []
    if VisitReport.objects.filter(visit_id=visit_id).exists():
        problems.append("a report with a huge note was stored")
    if HomeVisit.objects.count() != home_visits_before:
        problems.append("a home visit was stored while the huge notes were sent")
    return problems


def service_type_ids() -> list[int]:
    return list(ServiceType.objects.order_by("pk").values_list("pk", flat=True))


# In-process measurements -------------------------------------------------------------


@dataclass
class Capture:
    status: int
    queries: int
    statements: list[str]
    sql_ms: float


def capture(page: Page) -> Capture:
    """
    One request of the page through Django's test client in this process, with the
    server's settings: its status, its queries (a streamed body is read to the end
    inside the count) and their SQL. A write is rolled back, and the savepoints of
    that rollback are left out.
    """
    user = get_user_model().objects.get(username=page.username)
    client = Client(HTTP_HOST="127.0.0.1")
    extra = {}
    if page.auth == "token":
        token, _created = Token.objects.get_or_create(user=user)
        extra["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        client.force_login(user)
    request = page.requests()[0]
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            if request.get("body") is not None:
                response = client.generic(
                    request["method"],
                    request["path"],
                    data=json.dumps(request["body"]),
                    content_type="application/json",
                    **extra,
                )
            else:
                response = client.generic(request["method"], request["path"], **extra)
            if response.streaming:
                b"".join(response.streaming_content)
        transaction.set_rollback(True)
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SAVEPOINTS)
    ]
    return Capture(
        status=response.status_code,
        queries=len(statements),
        statements=statements,
        sql_ms=sum(float(q["time"]) for q in captured.captured_queries) * 1000,
    )


def replay_ms(database_url: str, statements: list[str], runs: int) -> float:
    """
    The median time of running ``statements`` with psycopg directly, in one
    transaction that is rolled back (writes leave nothing), fetching every row.
    A server-side cursor's DECLARE is run as its plain query.
    """
    timings = []
    with psycopg.connect(database_url) as conn:
        for _ in range(runs + 1):
            started = time.perf_counter()
            with conn.cursor() as cursor:
                for sql in statements:
                    cursor.execute(_plain(sql))
                    if cursor.description is not None:
                        cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            conn.rollback()
    return statistics.median(timings[1:])  # the first run warms the caches


def _plain(sql: str) -> str:
    """``DECLARE "name" NO SCROLL CURSOR WITH HOLD FOR SELECT …`` → ``SELECT …``."""
    if sql.startswith("DECLARE "):
        return sql[sql.index(" FOR ") + len(" FOR ") :]
    return sql


def reach_rows_sql_ms(database_url: str, params: dict, runs: int) -> float:
    """
    The one query behind the dashboard's rows (``reach_rows_queryset``) for
    ``params``, as leadership sees it, run with psycopg directly: the median time.
    """
    leader = get_user_model().objects.get(username="ledelse")
    selection = resolve_selection(leader, params)
    queryset = reach_rows_queryset(selection.query, types=service_types())
    sql, sql_params = queryset.query.sql_with_params()
    timings = []
    with psycopg.connect(database_url) as conn:
        for _ in range(runs + 1):
            started = time.perf_counter()
            conn.execute(sql, sql_params).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            conn.rollback()
    return statistics.median(timings[1:])


def dataset_counts() -> dict:
    return {
        "centres": CentreSite.objects.count(),
        "stops": Stop.objects.count(),
        "visits": Visit.objects.count(),
        "reports": VisitReport.objects.count(),
    }
