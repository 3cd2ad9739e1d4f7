"""
Time the reach dashboard and exports on whatever data the database holds (seed it
with ``seed_demo --scale national --years 5`` first). Not a test and not the
benchmark harness: a quick, repeatable measurement for docs/leadership.md.

    .venv/bin/python manage.py reach_timing [--runs 5]
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.weeks import IsoWeek
from stops.models import CentreSite, Funder, Region


class Command(BaseCommand):
    help = "Time the reach dashboard and exports (median of several runs) with query counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs: int, **options) -> None:
        user = get_user_model().objects.filter(is_superuser=True).first()
        if user is None:
            self.stderr.write("No administrator to log in as; run seed_demo first.")
            return
        client = Client()
        client.force_login(user)
        last_week = IsoWeek.current().previous
        year = last_week.year
        region = Region.objects.order_by("pk").first()
        centre = CentreSite.objects.order_by("pk").first()
        funder = Funder.objects.order_by("pk").first()
        first_year = year - 5
        week = str(last_week)
        cases = [
            ("dashboard, national, last week", "/reach/", {"week": week}),
            ("dashboard, region, last week", "/reach/", {"week": week, "region": region.pk}),
            ("dashboard, centre, last week", "/reach/", {"week": week, "centre": centre.pk}),
            ("dashboard, funder, this year", "/reach/", {"year": year, "funder": funder.pk}),
            ("dashboard, national, a quarter", "/reach/", {"quarter": f"{year}-Q3"}),
            ("dashboard, national, a year", "/reach/", {"year": year - 1}),
            ("dashboard, national, five years", "/reach/",
             {"from": f"{first_year}-01-01", "to": f"{year}-12-31"}),
            ("export.csv, national, five years", "/reach/export.csv",
             {"from": f"{first_year}-01-01", "to": f"{year}-12-31"}),
            ("export.xlsx, national, five years", "/reach/export.xlsx",
             {"from": f"{first_year}-01-01", "to": f"{year}-12-31"}),
        ]  # fmt: skip
        self.stdout.write(f"{'case':40} {'median ms':>10} {'queries':>8} {'bytes':>10}")
        for label, path, params in cases:
            timings, size, queries = [], 0, 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(path, params)
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else response.content
                    )
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, params, response.status_code)
                size, queries = len(body), len(captured)
            median = statistics.median(timings)
            self.stdout.write(f"{label:40} {median:10.0f} {queries:8} {size:10}")
