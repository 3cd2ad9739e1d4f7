"""
What a funder report shows for one grant and period, read with reach's own selectors
so that its figures are the dashboard's: the key figures of ``/reach/?funder=…``
against the grant's share of the target, each covered centre's stops as the
dashboard's centre page shows them under the funder, the weekly trend, the covered
stops on a map, completeness and timeliness (reach.selectors.timeliness).

Publication suppression is always on: each centre's stop table is suppressed as the
dashboard's centre page with ``publication=1`` is (``reach.publication``). The
report adds one equation of its own, the centres' totals adding up to the grant's:
when exactly one centre's total of a count is hidden, the grant's total of it is
hidden too, else the grant's total minus the other centres would give it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from core.access import ALL, CentreScope
from core.weeks import IsoWeek
from funders.maps import StopMap, stop_map
from reach import publication
from reach.charts import Chart, line_chart
from reach.dashboard import overview_for
from reach.params import Selection
from reach.periods import Period
from reach.publication import HIDDEN, PERSON_COUNTS
from reach.selectors.completeness import CompletenessRow, completeness_by_centre
from reach.selectors.query import ReachQuery
from reach.selectors.timeliness import Timeliness, timeliness
from reach.selectors.trends import trend_and_since_start
from stops.models import CentreSite, Funder, Stop

# Longer than a quarter: built in the background (funders.tasks), with its progress shown.
BACKGROUND_AFTER_DAYS = 92
# At most three years of a grant in one report: a longer period is refused with a
# message (a ten-year range is valid on the dashboard, not as one PDF).
MAX_REPORT_DAYS = 3 * 366

Progress = Callable[[int], None]


class ReportError(ValueError):
    """A report that cannot be made; the message is for the reader (HTTP 400)."""


def grant_days(funder: Funder, period: Period) -> tuple[dt.date, dt.date]:
    """The period's days within the grant; ``ReportError`` when none or too many."""
    start = max(period.start, funder.start_date)
    end = min(period.end, funder.end_date) if funder.end_date else period.end
    if start > end:
        raise ReportError(
            _(
                "The period %(period)s lies outside the grant “%(grant)s”, which runs %(dates)s. "
                "Choose a period within the grant."
            )
            % {"period": period.label, "grant": funder.name, "dates": grant_dates(funder)}
        )
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise ReportError(
            _(
                "A funder report covers at most three years of a grant. Choose a shorter "
                "period, for example one year at a time."
            )
        )
    return start, end


def grant_dates(funder: Funder) -> str:
    """“1. jan. 2025 – 31. dec. 2026”, or “from 1. jan. 2025” for an open grant."""
    start = formats.date_format(funder.start_date, "j. M Y")
    if funder.end_date is None:
        return _("from %(start)s") % {"start": start}
    return f"{start} – {formats.date_format(funder.end_date, 'j. M Y')}"


def check_request(funder: Funder, period: Period) -> tuple[dt.date, dt.date]:
    """Whether this grant and period can be reported on (see ``ReportError``)."""
    if not funder.covered_stops().exists():
        raise ReportError(
            _(
                "The grant “%(grant)s” covers no stops yet, so there is nothing to report. "
                "An administrator adds its centres or stops in the admin."
            )
            % {"grant": funder.name}
        )
    return grant_days(funder, period)


def in_background(funder: Funder, period: Period) -> bool:
    """Whether the report is built by the worker rather than at once."""
    start, end = grant_days(funder, period)
    return (end - start).days + 1 > BACKGROUND_AFTER_DAYS


@dataclass
class CentreTable:
    """One covered centre's stops and total, as the dashboard's centre page publishes them."""

    centre_id: int
    name: str
    rows: list[publication.Published]
    total: publication.Published


@dataclass
class FunderReport:
    selection: Selection
    funder: Funder
    start: dt.date  # the period's first day within the grant
    end: dt.date
    types: list
    total: publication.Published
    centres: list[CentreTable]
    completeness: list[CompletenessRow]
    trend: Chart
    map: StopMap
    covered: list[tuple[str, list[str]]]  # centre name, its covered stops' names
    made: dt.date
    timeliness: Timeliness

    @property
    def grant_dates(self) -> str:
        return grant_dates(self.funder)


def _centre_selection(selection: Selection, centre: CentreSite) -> Selection:
    """The dashboard's centre page under the funder, for publication, for the same reader."""
    scope: CentreScope = ALL
    if selection.scoped:  # the reader's centres, as a subquery (no query of its own)
        scope = CentreSite.objects.filter(pk__in=selection.query.centres or ()).values("pk")
    query = ReachQuery.build(
        start=selection.period.start,
        end=selection.period.end,
        centre_id=centre.pk,
        funder=selection.funder,
        centre_scope=scope,
        today=selection.query.today,
    )
    return Selection(
        period=selection.period,
        query=query,
        region=None,
        centre=centre,
        funder=selection.funder,
        publication=True,
        scoped=selection.scoped,
    )


def _hide_what_one_centre_gives_away(total: publication.Published, tables: list[CentreTable]):
    """The grant's own equation: its total is the sum of its centres' totals."""
    for name in (*PERSON_COUNTS, "referrals_total"):
        hidden = [t for t in tables if t.total.is_hidden(name)]
        if len(hidden) == 1:
            total.raw.hidden[name] = HIDDEN


def report_for(
    selection: Selection, *, progress: Progress | None = None, checked: bool = False
) -> FunderReport:
    """
    Everything the report shows: ten queries a covered centre and a few more, whatever
    the period (tests/funders/test_queries.py). ``checked``: ``check_request`` has passed.
    """
    funder = selection.funder
    if funder is None:
        raise ReportError(_("Choose a funder."))
    if checked:
        start, end = grant_days(funder, selection.period)
    else:
        start, end = check_request(funder, selection.period)
    report_progress = progress or (lambda _percent: None)
    selection = Selection(
        period=selection.period,
        query=selection.query,
        funder=funder,
        publication=True,
        scoped=selection.scoped,
    )
    q = selection.query
    overview = overview_for(selection)
    report_progress(10)
    stops = list(
        Stop.objects.filter(pk__in=q.stops or ())
        .select_related("centre")
        .order_by("centre__name", "roster_position")
    )
    centres = sorted({stop.centre for stop in stops}, key=lambda c: c.name)
    tables = []
    for index, centre in enumerate(centres, start=1):
        centre_overview = overview_for(_centre_selection(selection, centre))
        tables.append(
            CentreTable(centre.pk, centre.name, centre_overview.rows, centre_overview.total)
        )
        report_progress(10 + 70 * index // max(1, len(centres)))
    _hide_what_one_centre_gives_away(overview.total, tables)
    weeks = len(_weeks(q.start, q.end))
    trend, _since = trend_and_since_start(q, weeks=weeks)
    weekly_target = overview.total.target / q.weeks if overview.total.target and q.weeks else None
    report_progress(90)
    covered: dict[str, list[str]] = {}
    for stop in stops:
        covered.setdefault(stop.centre.name, []).append(stop.community)
    return FunderReport(
        selection=selection,
        funder=funder,
        start=start,
        end=end,
        types=overview.types,
        total=overview.total,
        centres=tables,
        completeness=completeness_by_centre(q),
        timeliness=timeliness(q),
        trend=line_chart(_("Week by week"), trend, weekly_target=weekly_target),
        map=stop_map(stops),
        covered=list(covered.items()),
        made=q.today,
    )


def _weeks(start: dt.date, end: dt.date) -> list[IsoWeek]:
    first, last = IsoWeek.of(start), IsoWeek.of(end)
    weeks = [first]
    while weeks[-1] != last:
        weeks.append(weeks[-1].shift(1))
    return weeks
