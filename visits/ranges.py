"""
What a stop's report usually says: an expected range for people met, meals and
food bags from its own recent reports, so that the report form can ask "Her plejer
at komme 6–12. Du har skrevet 120. Er det rigtigt?" before a slip of the thumb
goes into the figures (DHIS2's min–max values, made robust for small villages).

The rule (docs/data-quality.md):

- the history is the reports of the stop's last ``HISTORY`` held cafés before
  today; with fewer than ``MIN_REPORTS`` of them, the centre's last ``HISTORY``
  (a new stop looks like its centre's others); with fewer still, no range and
  no warning;
- the centre is the median, the spread the median absolute deviation (MAD),
  neither moved by one odd café nor by the many zeros of a small village;
- the range is median ± the largest of ``SPREAD`` scaled MADs, ``MIN_HALF_WIDTH``
  and ``RELATIVE`` of the median, so that a stop whose last cafés all had 9 people
  still allows 6–12 without a warning; never below 0.

One query reads the history of any number of stops (a window over their centres'
reports, at most ``HISTORY`` rows per stop and per centre); the medians are taken
here, over those bounded rows.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from visits.choices import VisitStatus
from visits.models import VisitReport

RANGE_FIGURES = ("people_met", "meals", "food_bags")
HISTORY = 12
MIN_REPORTS = 4
SPREAD = 3.0
MAD_TO_SD = 1.4826  # a MAD times this estimates the standard deviation of normal data
MIN_HALF_WIDTH = 3
RELATIVE = 1 / 3


@dataclass(frozen=True)
class Range:
    """The values a figure usually has at a stop (both ends included)."""

    low: int
    high: int
    source: str  # "stop" or "centre": whose history it was taken from
    reports: int  # how many reports it was taken from

    def __contains__(self, value: int) -> bool:
        return self.low <= value <= self.high

    def as_json(self) -> dict:
        return {"low": self.low, "high": self.high, "source": self.source}


def expected_range(values: Iterable[int], *, source: str = "stop") -> Range | None:
    """The range of a figure from its history (None with fewer than MIN_REPORTS values)."""
    values = list(values)
    if len(values) < MIN_REPORTS:
        return None
    centre = statistics.median(values)
    mad = statistics.median(abs(v - centre) for v in values)
    half = max(SPREAD * MAD_TO_SD * mad, MIN_HALF_WIDTH, RELATIVE * centre)
    return Range(
        low=max(0, math.floor(centre - half)),
        high=math.ceil(centre + half),
        source=source,
        reports=len(values),
    )


StopRanges = dict[str, Range]


def ranges_for_stops(centre_of: Mapping[int, int], *, today: dt.date) -> dict[int, StopRanges]:
    """
    Per stop (``centre_of``: stop id → its centre id): figure → Range, figures
    without one left out. One query, whatever the number of stops.
    """
    if not centre_of:
        return {}
    order = [F("visit__date").desc(), F("visit__start_time").desc(), F("pk").desc()]
    rows = (
        VisitReport.objects.filter(
            visit__status=VisitStatus.HELD,
            visit__date__lt=today,
            visit__stop__centre__in=sorted(set(centre_of.values())),
        )
        .annotate(
            stop_rank=Window(RowNumber(), partition_by=[F("visit__stop_id")], order_by=order),
            centre_rank=Window(
                RowNumber(), partition_by=[F("visit__stop__centre_id")], order_by=order
            ),
        )
        .filter(Q(stop_rank__lte=HISTORY) | Q(centre_rank__lte=HISTORY))
        .values(
            "visit__stop_id", "visit__stop__centre_id", "stop_rank", "centre_rank", *RANGE_FIGURES
        )
        .order_by()
    )
    by_stop: dict[int, list[dict]] = defaultdict(list)
    by_centre: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["stop_rank"] <= HISTORY:
            by_stop[row["visit__stop_id"]].append(row)
        if row["centre_rank"] <= HISTORY:
            by_centre[row["visit__stop__centre_id"]].append(row)
    return {stop: _ranges(by_stop[stop], by_centre[centre]) for stop, centre in centre_of.items()}


def _ranges(stop_rows: list[dict], centre_rows: list[dict]) -> StopRanges:
    """The stop's own history if long enough, else its centre's."""
    rows, source = (stop_rows, "stop") if len(stop_rows) >= MIN_REPORTS else (centre_rows, "centre")
    found = {}
    for name in RANGE_FIGURES:
        got = expected_range((row[name] for row in rows), source=source)
        if got is not None:
            found[name] = got
    return found


@dataclass(frozen=True)
class Outlier:
    """A figure of a report outside its stop's range."""

    name: str
    value: int
    range: Range

    @property
    def message(self) -> str:
        values = {"low": self.range.low, "high": self.range.high, "value": self.value}
        if self.name == "people_met":
            return (
                _("Usually %(low)s–%(high)s people come here. You wrote %(value)s. Is that right?")
                % values
            )
        return _("Usually %(low)s–%(high)s here. You wrote %(value)s. Is that right?") % values


def outliers(ranges: StopRanges, values: Mapping[str, int]) -> list[Outlier]:
    """The figures of ``values`` outside their range, in RANGE_FIGURES order."""
    return [
        Outlier(name, values[name], ranges[name])
        for name in RANGE_FIGURES
        if name in ranges and values[name] not in ranges[name]
    ]
