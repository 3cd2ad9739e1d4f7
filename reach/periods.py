"""
Reporting periods: an ISO week, a calendar month, quarter or year, or a custom range.

One scheme for every page, export and (later) the API; each period has exactly one
query parameter form:

    ?week=2026-W48        ISO week (Monday to Sunday)
    ?month=2026-11        calendar month
    ?quarter=2026-Q4      calendar quarter
    ?year=2026            calendar year
    ?from=2026-01-01&to=2026-03-31   custom range, both days included

No parameter means the last complete ISO week (last Monday to Sunday): the running
week is only partly held and reported, so it is asked for by name. Two kinds at
once, a malformed value, ``from`` after ``to`` or a range longer than
MAX_RANGE_DAYS is a ``PeriodError`` with a Danish message (the views answer 400).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from core.weeks import MAX_YEAR, MIN_YEAR, InvalidWeek, IsoWeek

# Ten years is more than any funder asks for and keeps one request bounded.
MAX_RANGE_DAYS = 10 * 366

PERIOD_PARAMS = ("week", "month", "quarter", "year", "from", "to")

# [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٦"). Used with fullmatch.
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_RE = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR_RE = re.compile(r"([0-9]{4})")


class PeriodError(ValueError):
    """A period parameter that cannot be used; the message is for the user."""


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _a_year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, and how it was asked for."""

    kind: str  # week, month, quarter, year or range
    start: dt.date
    end: dt.date

    # Constructors ----------------------------------------------------------

    @classmethod
    def week(cls, week: IsoWeek) -> Period:
        return cls("week", week.monday, week.sunday)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls("month", dt.date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls("quarter", dt.date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def range(cls, start: dt.date, end: dt.date) -> Period:
        return cls("range", start, end)

    # Facts -----------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        """How many weeks long (a month is about 4.3): weekly targets scale with it."""
        return self.days / 7

    @property
    def iso_week(self) -> IsoWeek:
        """The ISO week the period ends in (trends end there)."""
        return IsoWeek.of(self.end)

    @property
    def key(self) -> str:
        """The period as its parameter writes it: 2026-W48, 2026-11, 2026-Q4, 2026, a–b."""
        if self.kind == "week":
            return str(IsoWeek.of(self.start))
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"

    def params(self) -> dict[str, str]:
        """The query parameters that name this period."""
        if self.kind == "range":
            return {"from": f"{self.start:%Y-%m-%d}", "to": f"{self.end:%Y-%m-%d}"}
        return {self.kind: self.key}

    @property
    def label(self) -> str:
        """For people: “uge 48, 2026”, “november 2026”, “4. kvartal 2026” …"""
        if self.kind == "week":
            week = IsoWeek.of(self.start)
            return _("week %(week)s, %(year)s") % {"week": week.week, "year": week.year}
        if self.kind == "month":
            return formats.date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "j. M Y"),
            "end": formats.date_format(self.end, "j. M Y"),
        }

    # Neighbours ------------------------------------------------------------

    def shift(self, steps: int) -> Period:
        """The period ``steps`` of its own kind later (earlier when negative)."""
        if self.kind == "week":
            return Period.week(IsoWeek.of(self.start).shift(steps))
        if self.kind in ("month", "quarter"):
            months = 1 if self.kind == "month" else 3
            index = self.start.year * 12 + self.start.month - 1 + steps * months
            year, month0 = divmod(index, 12)
            if self.kind == "month":
                return Period.month(year, month0 + 1)
            return Period.quarter(year, month0 // 3 + 1)
        if self.kind == "year":
            return Period.year(self.start.year + steps)
        length = dt.timedelta(days=self.days * steps)
        return Period.range(self.start + length, self.end + length)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def next(self) -> Period:
        return self.shift(1)

    def year_earlier(self) -> Period:
        """
        The same period a year before. For a week, the same ISO week number in the
        previous ISO year; week 53 compares with week 52 when that year has no week 53.
        """
        if self.kind == "week":
            week = IsoWeek.of(self.start)
            last_week = dt.date(week.year - 1, 12, 28).isocalendar()[1]
            return Period.week(IsoWeek(week.year - 1, min(week.week, last_week)))
        if self.kind == "month":
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind == "quarter":
            return Period.quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        return Period.range(_a_year_earlier(self.start), _a_year_earlier(self.end))

    @classmethod
    def current_week(cls) -> Period:
        return cls.week(IsoWeek.current())

    @classmethod
    def last_complete_week(cls) -> Period:
        """The ISO week before this one: every day of it is over."""
        return cls.week(IsoWeek.current().previous)

    def elapsed_days(self, today: dt.date) -> int | None:
        """
        For a running period (today inside it): the days so far, today included.
        None for a period that is over or still to come.
        """
        if self.start <= today <= self.end:
            return (today - self.start).days + 1
        return None


def _parse_date(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            _("“%(value)s” is not a date. Write it like 2026-01-31.") % {"value": value}
        ) from None
    _check_year(day.year)
    return day


def parse_period(params: Mapping[str, str]) -> Period:
    """The period named by query parameters (see the module docstring)."""
    given = [name for name in PERIOD_PARAMS if params.get(name)]
    kinds = {("range" if name in ("from", "to") else name) for name in given}
    if not kinds:
        return Period.last_complete_week()
    if len(kinds) > 1:
        raise PeriodError(
            _("Choose one period: a week, a month, a quarter, a year or a from–to range.")
        )
    kind = kinds.pop()
    if kind == "week":
        try:
            return Period.week(IsoWeek.parse(params["week"]))
        except InvalidWeek as error:
            raise PeriodError(str(error)) from None
    if kind == "month":
        match = _MONTH_RE.fullmatch(params["month"].strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(
                _("“%(value)s” is not a month. Write it like 2026-11.") % {"value": params["month"]}
            )
        _check_year(int(match[1]))
        return Period.month(int(match[1]), int(match[2]))
    if kind == "quarter":
        match = _QUARTER_RE.fullmatch(params["quarter"].strip().upper())
        if not match:
            raise PeriodError(
                _("“%(value)s” is not a quarter. Write it like 2026-Q4.")
                % {"value": params["quarter"]}
            )
        _check_year(int(match[1]))
        return Period.quarter(int(match[1]), int(match[2]))
    if kind == "year":
        match = _YEAR_RE.fullmatch(params["year"].strip())
        if not match:
            raise PeriodError(
                _("“%(value)s” is not a year. Write it like 2026.") % {"value": params["year"]}
            )
        _check_year(int(match[1]))
        return Period.year(int(match[1]))
    if not params.get("from") or not params.get("to"):
        raise PeriodError(_("A range needs both a first day (from) and a last day (to)."))
    start = _parse_date(params["from"], "from")
    end = _parse_date(params["to"], "to")
    if start > end:
        raise PeriodError(_("The first day comes after the last day."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError(_("A range can be at most ten years long."))
    return Period.range(start, end)
