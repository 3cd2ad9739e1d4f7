"""
Demo data: the programme's centre towns, their stops and patterns, invented
volunteers, the past weeks of visits with reports, and one demo login per role.

Deterministic: the same seed on the same day gives the same data. Safe to run
twice: reference data is matched by natural keys, and the history is written only
into a database that has none yet. The national scale (25 centres, 300 stops,
several years) is written with bulk inserts for the benchmarks.

The jobs, in the order they draw from the one random sequence: ``demo.reference``
(centres, stops, patterns, volunteers, funders), ``demo.logins``, ``demo.history``
(the past, then the coming visits' teams).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from core.weeks import monday_of
from demo import bulk
from demo.history import HISTORY_MODELS, History
from demo.logins import create_logins
from demo.reference import ReferenceBuilder
from reach import summaries
from visits.models import Visit
from visits.services import visits_generate

DEMO_SEED = 2026


@dataclass
class SeedResult:
    centres: int = 0
    stops: int = 0
    patterns: int = 0
    volunteers: int = 0
    visits: int = 0
    reports: int = 0
    home_visits: int = 0
    history_skipped: bool = False
    messages: list[str] = field(default_factory=list)
    # Seconds per step, in the order they ran (seed_demo -v 2 prints them).
    timings: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.timings[step] = round(time.monotonic() - started, 1)


class DemoBuilder:
    """Writes the demo data set; see the module docstring."""

    def __init__(
        self, *, scale: str = "demo", weeks: int = 12, seed: int = DEMO_SEED, times: int = 1
    ):
        self.scale = scale
        self.times = times
        self.weeks = weeks
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.history_start = monday_of(self.today) - dt.timedelta(weeks=weeks)
        self.result = SeedResult()

    def build(self) -> SeedResult:
        with self.result.timed("total"), transaction.atomic():
            self._build()
        return self.result

    def _build(self) -> None:
        timed = self.result.timed
        with timed("reference data"):
            ref = ReferenceBuilder(
                rng=self.rng,
                scale=self.scale,
                times=self.times,
                today=self.today,
                history_start=self.history_start,
            ).build()
            create_logins(ref)
        self.result.centres = len(ref.centres)
        self.result.stops = sum(len(stops) for stops in ref.stops_by_centre.values())
        self.result.patterns = len(ref.patterns)
        self.result.volunteers = sum(len(v) for v in ref.volunteers_by_centre.values())

        if Visit.objects.filter(date__lt=self.today).exists():
            self.result.history_skipped = True
            self.result.messages.append("History already present: no visits were added.")
            return
        history = History(
            rng=self.rng,
            ref=ref,
            today=self.today,
            start=self.history_start,
            zone=timezone.get_current_timezone(),
        )
        # Straight into the tables: foreign keys, indexes and the reach summaries
        # are made once over all rows at the end, not row by row.
        with (
            summaries.paused(rebuilt=False),
            timed("indexes and foreign keys"),
            bulk.loading(*HISTORY_MODELS),
            timed("history rows"),
        ):
            written = history.write_past()
        timings = self.result.timings
        timings["indexes and foreign keys"] = round(
            timings["indexes and foreign keys"] - timings["history rows"], 1
        )
        # The summaries' own keys and indexes, too, are made once after their rows.
        with timed("reach summaries"), bulk.loading(*map(apps.get_model, summaries.SUMMARY_MODELS)):
            summaries.rebuild()
        self.result.timings["history rows, of which written"] = round(written.copy_seconds, 1)
        self.result.visits = written.visits
        self.result.reports = written.reports
        self.result.home_visits = written.home_visits
        with timed("coming visits"):
            visits_generate(today=self.today)
        with timed("coming teams"):
            history.staff_upcoming()
