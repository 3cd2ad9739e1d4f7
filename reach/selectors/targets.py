"""The people targets of a selection's rows and total for the period."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q

from reach.selectors.figures import ReachRow
from reach.selectors.query import Level, ReachQuery
from stops.models import CentreSite


def apply_targets(q: ReachQuery, rows: list[ReachRow], total: ReachRow) -> None:
    """
    Fill in each row's target for the period (one query over the centres).

    A centre's weekly people target counts while the centre is active; regions and
    the nation sum their centres; a stop gets its centre's target shared equally over
    the centre's active stops (inactive stops get none). Under a funder a centre
    counts with the share of its active stops that the grant covers. When no centre
    target applies to the whole country, the national default
    (settings.NATIONAL_WEEKLY_TARGET) is used. Weekly targets are multiplied by the
    period's length in weeks (days / 7), within the grant's dates under a funder.
    """
    centres = CentreSite.objects.all()
    if q.centres is not None:
        centres = centres.filter(pk__in=q.centres)
    stop_filter = Q(stops__active=True)
    covered = Count("stops", filter=stop_filter)
    if q.funded_stops is not None:
        covered = Count("stops", filter=stop_filter & Q(stops__in=q.funded_stops))
    basis = centres.values("pk", "region_id", "weekly_people_target", "active").annotate(
        active_stops=Count("stops", filter=stop_filter), covered_stops=covered
    )
    weekly_by_centre: dict[int, float] = {}
    stop_share: dict[int, float] = {}
    region_of: dict[int, int] = {}
    for centre in basis:
        region_of[centre["pk"]] = centre["region_id"]
        if not centre["active"] or not centre["active_stops"]:
            weekly_by_centre[centre["pk"]] = 0.0
            continue
        share = centre["weekly_people_target"] / centre["active_stops"]
        stop_share[centre["pk"]] = share
        weekly_by_centre[centre["pk"]] = share * centre["covered_stops"]
    weeks = q.weeks
    level = q.level
    weekly: float | None
    for row in rows:
        if level == Level.NATIONAL:
            weekly = sum((t for c, t in weekly_by_centre.items() if region_of[c] == row.id), 0.0)
        elif level == Level.REGION:
            weekly = weekly_by_centre.get(row.id, 0.0) if row.id is not None else 0.0
        else:
            share = stop_share.get(q.centre_id) if q.centre_id is not None else None
            weekly = share if (share is not None and row.active) else None
        row.target = None if weekly is None else weekly * weeks
    weekly_total = sum(weekly_by_centre.values())
    if not weekly_total and not q.is_restricted:
        weekly_total = settings.NATIONAL_WEEKLY_TARGET
    total.target = weekly_total * weeks
