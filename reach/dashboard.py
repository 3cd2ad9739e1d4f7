"""Everything the dashboard shows for one selection, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reach import publication
from reach.charts import Chart, line_chart
from reach.params import Selection
from reach.selectors.completeness import (
    CompletenessRow,
    VisitToFix,
    completeness_by_centre,
    visits_to_fix,
)
from reach.selectors.export_rows import export_rows
from reach.selectors.figures import reach_rows, reach_total, service_types
from reach.selectors.query import Level
from reach.selectors.targets import apply_targets
from reach.selectors.timeliness import Timeliness, timeliness
from reach.selectors.totals import Totals, totals
from reach.selectors.trends import trend_and_since_start

TO_FIX_LIST_LIMIT = 100


@dataclass
class Dashboard:
    selection: Selection
    types: list
    rows: list[publication.Published]
    total: publication.Published
    year_earlier: Totals
    since_start: Totals
    completeness: list[CompletenessRow]
    to_fix: list[VisitToFix]
    trend12: Chart
    trend52: Chart
    # A running period: its days so far (today included); the year-earlier figures
    # then cover the same days, so that a half week is not set against a whole one.
    elapsed_days: int | None = None
    # Reports captured on the phone within 24 hours of the café (reach.selectors.timeliness).
    timeliness: Timeliness | None = None

    @property
    def to_fix_count(self) -> int:
        """Every past visit in the period still without report or status (not only those listed)."""
        return self.total.without_report_or_status


@dataclass
class Overview:
    """The rows and total of a selection, with targets: what the export's first sheet shows."""

    types: list
    rows: list[publication.Published]  # as published (reach.publication)
    total: publication.Published
    # For publication at a centre: its stop × week records, which the suppression
    # read (the workbook's second sheet reuses them rather than ask again).
    records: list[dict] | None = None


def overview_for(selection: Selection) -> Overview:
    """Rows, total and targets only (five queries): for the workbook's overview sheet."""
    q = selection.query
    types = service_types()
    rows = reach_rows(q, types=types)
    total = reach_total(q, rows, types=types)
    apply_targets(q, rows, total)
    records = None
    if selection.publication and selection.level == Level.CENTRE:
        # The centre's stop × week figures too: the page must hide what the export does.
        records = list(export_rows(q, types=types))
        publication.apply_to_rows(rows, total, types, records)
    # Every reader (key figures, tables, the workbook, the API) reads them as published.
    rows, total = publication.published(rows, total)
    return Overview(types=types, rows=rows, total=total, records=records)


def dashboard_for(selection: Selection) -> Dashboard:
    """Rows, total, targets, completeness, trends and running totals (about ten queries)."""
    q = selection.query
    overview = overview_for(selection)
    types, rows, total = overview.types, overview.rows, overview.total
    earlier = selection.period.year_earlier()
    elapsed = selection.period.elapsed_days(q.today)
    earlier_end = earlier.end
    if elapsed is not None:
        earlier_end = min(earlier.end, earlier.start + dt.timedelta(days=elapsed - 1))
    year_earlier = totals(
        q.with_dates(max(earlier.start, q.grant_start or earlier.start), earlier_end)
    )
    trend52, since_start = trend_and_since_start(q, weeks=52)
    weeks = q.weeks
    weekly_target = total.target / weeks if total.target and weeks else None
    return Dashboard(
        selection=selection,
        types=types,
        rows=rows,
        total=total,
        year_earlier=year_earlier,
        since_start=since_start,
        completeness=completeness_by_centre(q),
        # Which cafés to chase, with links to the week and the admin, is the staff's:
        # a funder's login and a share link see the share of reports in, not the list.
        to_fix=[] if selection.grant_only else visits_to_fix(q, limit=TO_FIX_LIST_LIMIT),
        trend12=line_chart(_("The last 12 weeks"), trend52[-12:], weekly_target=weekly_target),
        trend52=line_chart(_("The last 52 weeks"), trend52, weekly_target=weekly_target),
        elapsed_days=elapsed,
        timeliness=timeliness(q),
    )
