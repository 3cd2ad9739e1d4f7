"""
A grant's own view of the reach (a funder's login, a share link): its period and
its places. Request-free; ``reach.params.grant_selection`` builds the selection.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.weeks import IsoWeek
from reach.periods import PERIOD_PARAMS, Period, PeriodError, parse_period
from stops.models import CentreSite, Funder, Region


def grant_days(funder: Funder) -> str:
    """The grant's days as words: "25. november 2025 – 31. december 2026" (or "from …")."""
    start = date_format(funder.start_date, "j. F Y")
    if funder.end_date is None:
        return _("from %(start)s") % {"start": start}
    return f"{start} – {date_format(funder.end_date, 'j. F Y')}"


def overlaps(period: Period, funder: Funder) -> bool:
    """Whether the period has at least one of the grant's days."""
    return period.end >= funder.start_date and (
        funder.end_date is None or period.start <= funder.end_date
    )


def grant_period(params: Mapping[str, str], funder: Funder) -> Period:
    """
    The period asked for, which must share a day with the grant (PeriodError
    otherwise, in words the funder understands). Without one, the last complete
    week, or the grant's nearest week when that week is outside the grant.
    """
    if not funder.covered_stops().exists():
        raise PeriodError(
            _("The grant “%(name)s” covers no stops yet, so there are no figures to show.")
            % {"name": funder.name}
        )
    if not any(params.get(name) for name in PERIOD_PARAMS):
        week = Period.last_complete_week()
        if overlaps(week, funder):
            return week
        day = max(week.start, funder.start_date)
        if funder.end_date is not None:
            day = min(day, funder.end_date)
        return Period.week(IsoWeek.of(day))
    period = parse_period(params)
    if not overlaps(period, funder):
        raise PeriodError(
            _(
                "%(period)s is outside the grant “%(name)s”, which runs %(days)s. "
                "Choose a period within the grant."
            )
            % {"period": period.label, "name": funder.name, "days": grant_days(funder)}
        )
    return period


def grant_place(
    funder: Funder, region_id: int | None, centre_id: int | None
) -> tuple[Region | None, CentreSite | None]:
    """The region or centre asked for, which must hold a stop of the grant (else 404)."""
    covered = funder.covered_stops()
    if centre_id is not None:
        centre = (
            CentreSite.objects.select_related("region")
            .filter(pk=centre_id, stops__in=covered)
            .distinct()
            .first()
        )
        if centre is None or (region_id is not None and centre.region_id != region_id):
            raise Http404
        return centre.region, centre
    if region_id is not None:
        region = Region.objects.filter(pk=region_id, centres__stops__in=covered).distinct().first()
        if region is None:
            raise Http404
        return region, None
    return None, None
