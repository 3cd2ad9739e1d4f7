"""
ISO weeks, as every page and API parameter writes them: ``2026-W48``.

Weeks start on Monday. Anything else in a week parameter is a user error
(``InvalidWeek``) that views turn into a 400 with a clear message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

# Weeks outside this range are refused: nobody plans cafés there.
MIN_YEAR = 2000
MAX_YEAR = 2100

# [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٦"). Used with fullmatch.
_WEEK_RE = re.compile(r"([0-9]{4})-W([0-9]{2})")


class InvalidWeek(ValueError):
    """A week string that is not an ISO week in the sane range."""


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, value: str) -> IsoWeek:
        """``2026-W48`` to an IsoWeek; InvalidWeek with a message otherwise."""
        match = _WEEK_RE.fullmatch((value or "").strip().upper())
        if not match:
            raise InvalidWeek(
                _("“%(value)s” is not a week. Write it like 2026-W48.") % {"value": value}
            )
        year, week = int(match[1]), int(match[2])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidWeek(
                _("The year must be between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidWeek(
                _("%(year)s has no week %(week)s.") % {"year": year, "week": week}
            ) from None
        return cls(year, week)

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        year, week, _weekday = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls) -> IsoWeek:
        return cls.of(timezone.localdate())

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=i) for i in range(7)]

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(weeks=weeks))

    @property
    def previous(self) -> IsoWeek:
        return self.shift(-1)

    @property
    def next(self) -> IsoWeek:
        return self.shift(1)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def week_param(request: HttpRequest, name: str = "week") -> IsoWeek:
    """The ISO week in a query parameter (this week when absent); 400 when malformed."""
    value = request.GET.get(name)
    if not value:
        return IsoWeek.current()
    try:
        return IsoWeek.parse(value)
    except InvalidWeek as error:
        raise BadRequest(str(error)) from error
