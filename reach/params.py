"""
From query parameters to a ``ReachQuery``: who may see what, and which period.

Request-free (a mapping of parameters and a user), so the HTML views, the exports
and the REST endpoint read the same parameters the same way:

    period     see reach.periods (week, month, quarter, year, from/to)
    region     a region id            → its centres as rows
    centre     a centre id            → its stops as rows
    funder     a funder id            → only the grant's stops and dates
    publication=1                     → stop-level counts below 3 shown as "<3"

Leadership and administrators see every centre; a coordinator sees their own
centres (the national level is then "your centres"); a funder's login sees only
its own grants (``grant_selection``: the grant's stops and days, always suppressed
for publication), as does a share link; anyone else gets 404, as does a region,
centre or funder outside the reader's reach or unknown. Malformed values raise
``SelectionError`` (a message for a 400), as does a period outside a funder's grant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from core.access import (
    ALL,
    READERS,
    AnyUser,
    Role,
    SomeCentres,
    role_of,
    visible_centre_ids,
)
from core.text import is_ascii_digits
from reach.grants import grant_period, grant_place
from reach.periods import Period, PeriodError, parse_period
from reach.selectors.query import Level, ReachQuery
from stops.models import CentreSite, Funder, Region


class SelectionError(ValueError):
    """A parameter that cannot be used; the message is for the user (HTTP 400)."""


@dataclass(frozen=True)
class Selection:
    """A resolved request for reach figures: period, place, funder and the query."""

    period: Period
    query: ReachQuery
    region: Region | None = None
    centre: CentreSite | None = None
    funder: Funder | None = None
    publication: bool = False
    scoped: bool = False  # a coordinator: only their own centres
    grant_only: bool = False  # a funder's login or a share link: one grant, nothing else

    @property
    def level(self) -> Level:
        return self.query.level

    @property
    def place_label(self) -> str:
        """Where the figures are from: a centre, a region, or the country (or "your centres")."""
        if self.centre is not None:
            return self.centre.name
        if self.region is not None:
            return self.region.name
        if self.grant_only and self.funder is not None:
            return self.funder.name
        return _("Your centres") if self.scoped else _("All of Denmark")

    @property
    def slug(self) -> str:
        """For file names: drivein-reach-2026-W48[-region-1|-centre-3][-funder-2]."""
        parts = ["drivein-reach", self.period.key]
        if self.centre is not None:
            parts.append(f"centre-{self.centre.pk}")
        elif self.region is not None:
            parts.append(f"region-{self.region.pk}")
        if self.funder is not None:
            parts.append(f"funder-{self.funder.pk}")
        if self.publication:
            parts.append("publication")
        return "-".join(parts)

    def params(self, **changes) -> dict[str, str]:
        """The query parameters of this selection, with ``changes`` (None drops one)."""
        params: dict[str, str] = dict(self.period.params())
        if self.region is not None and self.centre is None:
            params["region"] = str(self.region.pk)
        if self.centre is not None:
            params["centre"] = str(self.centre.pk)
        if self.funder is not None:
            params["funder"] = str(self.funder.pk)
        if self.publication:
            params["publication"] = "1"
        if "period" in changes:
            for name in ("week", "month", "quarter", "year", "from", "to"):
                params.pop(name, None)
            params.update(changes.pop("period").params())
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        return params


def reader_scope(user: AnyUser) -> SomeCentres:
    """The centres a reader of reach figures sees (ALL or ids); 404 for anyone else."""
    scope = visible_centre_ids(user) if role_of(user) in READERS else None
    if scope is None:
        raise Http404
    return scope


def _id(params: Mapping[str, str], name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not is_ascii_digits(value) or len(value) > 18:
        raise SelectionError(
            _("“%(value)s” is not a valid %(name)s id.") % {"value": value, "name": name}
        )
    return int(value)


def resolve_selection(user: AnyUser, params: Mapping[str, str]) -> Selection:
    """The selection the parameters ask for, as far as the user may see (see module doc)."""
    if role_of(user) == Role.FUNDER:
        return grant_selection(params, grants=Funder.objects.filter(readers=user.pk))
    scope = reader_scope(user)
    try:
        period = parse_period(params)
    except PeriodError as error:
        raise SelectionError(str(error)) from None
    region_id, centre_id, funder_id = (_id(params, n) for n in ("region", "centre", "funder"))
    region = centre = funder = None
    if centre_id is not None:
        centre = (
            CentreSite.objects.for_user(user).select_related("region").filter(pk=centre_id).first()
        )
        if centre is None or (region_id is not None and centre.region_id != region_id):
            raise Http404
        region = centre.region
    elif region_id is not None:
        regions = Region.objects.filter(pk=region_id)
        if scope is not ALL:
            regions = regions.filter(centres__in=scope)
        region = regions.first()
        if region is None:
            raise Http404
    if funder_id is not None:
        funders = Funder.objects.filter(pk=funder_id)
        funder = funders.first()
        if funder is None:
            raise Http404
        if scope is not ALL and not funder.covered_stops().filter(centre__in=scope).exists():
            raise Http404
    query = ReachQuery.build(
        start=period.start,
        end=period.end,
        region_id=region.pk if region and not centre else None,
        centre_id=centre.pk if centre else None,
        funder=funder,
        centre_scope=scope,
        centre_in_scope=centre is not None,  # read above through for_user(user)
    )
    return Selection(
        period=period,
        query=query,
        region=region,
        centre=centre,
        funder=funder,
        publication=params.get("publication") in ("1", "true", "on"),
        scoped=scope is not ALL,
    )


def grant_selection(params: Mapping[str, str], *, grants) -> Selection:
    """
    One of ``grants`` (the ``funder`` parameter, else the first), as its funder may
    see it: only the covered stops, only on the grant's days, always suppressed for
    publication. A grant outside ``grants``, or a region or centre without a covered
    stop, is 404; a period outside the grant's days, or a grant without stops, a 400.
    """
    funder_id = _id(params, "funder")
    grants = grants.order_by("name", "start_date", "pk")
    funder = (grants.filter(pk=funder_id) if funder_id is not None else grants).first()
    if funder is None:
        raise Http404
    try:
        period = grant_period(params, funder)
    except PeriodError as error:
        raise SelectionError(str(error)) from None
    region, centre = grant_place(funder, _id(params, "region"), _id(params, "centre"))
    query = ReachQuery.build(
        start=period.start,
        end=period.end,
        region_id=region.pk if region and not centre else None,
        centre_id=centre.pk if centre else None,
        funder=funder,
    )
    return Selection(
        period=period,
        query=query,
        region=region,
        centre=centre,
        funder=funder,
        publication=True,
        grant_only=True,
    )


def funders_for_menu(selection: Selection):
    """The funders to filter by: all, or for a coordinator those covering the centres shown."""
    funders = Funder.objects.order_by("name", "start_date")
    if selection.grant_only:
        return funders.none()  # a funder reads one grant at a time and is not shown others
    if not selection.scoped:
        return funders
    centres = selection.query.centres or ()
    return funders.filter(Q(centres__in=centres) | Q(stops__centre__in=centres)).distinct()
