"""
Reads for the shifts pages, the API and the messaging: my coming shifts, the open
places I may take, the offers waiting for me, a week's places for the coordinator,
and the offers the messaging (issue 14) should send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shifts.models import HandOver, Offer, TakeRequest
from visits.choices import VisitStatus
from visits.models import Visit
from visits.upcoming import still_to_come
from volunteers.choices import QualificationKind, VolunteerRole
from volunteers.models import Assignment, Qualification, Volunteer
from volunteers.places import HOLDING, Places, places_annotated, with_places

OPEN_PLACES_DAYS = 28  # the coming four weeks (issue 13)


def offers_to_announce() -> QuerySet[Offer]:
    """
    For the messaging (issue 14): waiting offers not yet sent, with what a message
    needs (the volunteer, the visit and its stop), oldest first. After sending,
    call ``shifts.services.offer_mark_announced(offer=…)``; the offer's page is
    ``reverse("shifts:offer", args=[offer.pk])``.
    """
    return (
        Offer.objects.waiting()
        .filter(announced_at__isnull=True)
        .filter(still_to_come(prefix="visit__"))
        .select_related("volunteer", "visit__stop")
        .order_by("created_at", "pk")
    )


# My shifts -------------------------------------------------------------------


@dataclass
class MyShifts:
    """What "Mine vagter" shows: my coming shifts, offers and hand-overs for me."""

    shifts: Sequence[Assignment] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    hand_overs_to_me: list[HandOver] = field(default_factory=list)
    requests: list[TakeRequest] = field(default_factory=list)
    colleagues: list[Volunteer] = field(default_factory=list)


def my_shifts(*, volunteer: Volunteer, now: dt.datetime | None = None) -> MyShifts:
    """
    My shifts still to come in the coming four weeks, with the hand-over I asked
    for (``pending_hand_over``), my waiting offers, hand-overs offered to me, my
    pending requests and my centre's colleagues (for "hand over to"). Six queries.
    """
    now = now or timezone.now()
    end = timezone.localdate(now) + dt.timedelta(days=OPEN_PLACES_DAYS)
    coming = still_to_come(now=now, prefix="visit__")
    shifts = list(
        Assignment.objects.filter(coming, volunteer=volunteer, visit__date__lte=end)
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit__stop")
        .prefetch_related(
            Prefetch(
                "hand_overs",
                queryset=HandOver.objects.pending().select_related("to_volunteer"),
                to_attr="pending_hand_overs",
            )
        )
        .order_by("visit__date", "visit__start_time", "pk")
    )
    for shift in shifts:
        shift.pending_hand_over = next(iter(shift.pending_hand_overs), None)  # type: ignore[attr-defined]  # for the template
    return MyShifts(
        shifts=shifts,
        offers=list(
            Offer.objects.waiting()
            .filter(coming, volunteer=volunteer)
            .exclude(visit__status=VisitStatus.CANCELLED)
            .select_related("visit__stop")
            .order_by("visit__date", "visit__start_time")
        ),
        hand_overs_to_me=list(
            HandOver.objects.pending()
            .filter(still_to_come(now=now, prefix="assignment__visit__"), to_volunteer=volunteer)
            .select_related("assignment__visit__stop", "from_volunteer")
            .order_by("assignment__visit__date", "assignment__visit__start_time")
        ),
        requests=list(
            TakeRequest.objects.pending()
            .filter(coming, volunteer=volunteer)
            .select_related("visit__stop")
            .order_by("visit__date", "visit__start_time")
        ),
        colleagues=list(
            Volunteer.objects.active()
            .filter(home_centre=volunteer.home_centre_id)
            .exclude(pk=volunteer.pk)
            .only("pk", "name")
            .order_by("name")
        ),
    )


# Open places -----------------------------------------------------------------


@dataclass
class OpenPlace:
    """An open place of a visit as one volunteer sees it: what they may take, or why not."""

    visit: Visit
    places: Places
    roles: list[str]
    refusal: str = ""
    requested: bool = False


def open_places(*, volunteer: Volunteer, now: dt.datetime | None = None) -> list[OpenPlace]:
    """
    The open places of my centre's visits in the coming four weeks that I am not
    on, each with the roles I may take (a driver's place only with a licence valid
    that day) or the reason I may not (it overlaps my own shift). Four queries:
    the visits with their places counted in SQL, my licence, my shifts in the
    period, my pending requests.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    end = today + dt.timedelta(days=OPEN_PLACES_DAYS)
    visits = [
        visit
        for visit in with_places(
            Visit.objects.filter(still_to_come(now=now), stop__centre=volunteer.home_centre_id)
            .between(today, end)
            .not_cancelled()
            .exclude(pk__in=Assignment.objects.filter(HOLDING, volunteer=volunteer).values("visit"))
            .select_related("stop")
            .order_by("date", "start_time", "pk")
        )
        if places_annotated(visit).open > 0
    ]
    # (valid_until,) for a licence (None: it does not expire), None for no licence.
    licence = (
        Qualification.objects.filter(volunteer=volunteer, kind=QualificationKind.DRIVING_LICENCE)
        .values_list("valid_until")
        .first()
    )
    mine = list(
        Assignment.objects.filter(HOLDING, volunteer=volunteer)
        .filter(visit__date__gte=today, visit__date__lte=end)
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values_list(
            "visit__date", "visit__start_time", "visit__end_time", "visit__stop__community"
        )
    )
    requested = set(
        TakeRequest.objects.pending().filter(volunteer=volunteer).values_list("visit_id", flat=True)
    )
    result = []
    for visit in visits:
        places = places_annotated(visit)
        drives = (
            volunteer.is_driver
            and licence is not None
            and (licence[0] is None or licence[0] >= visit.date)
        )
        roles = [r for r in places.open_roles() if r != VolunteerRole.DRIVER or drives]
        refusal = ""
        for day, start, end_time, community in mine:
            if day == visit.date and start < visit.end_time and end_time > visit.start_time:
                refusal = _("Overlaps your shift at %(place)s %(start)s.") % {
                    "place": community,
                    "start": start.strftime("%H:%M"),
                }
                break
        if not roles and not refusal:
            refusal = _("Only a driver with a valid driving licence can take this place.")
        result.append(OpenPlace(visit, places, roles, refusal, visit.pk in requested))
    return result


# The coordinator's week -----------------------------------------------------


@dataclass
class WeekPlaces:
    """Each visit of a centre's week with the state of every place, and the warnings."""

    visits: list[Visit]
    warnings: list[str]


def week_places(*, centre, monday: dt.date, now: dt.datetime | None = None) -> WeekPlaces:
    """
    The week's visits, each with ``places``, its team (``team``, each with its
    answer), ``waiting_offers``, ``pending_requests`` and ``pending_hand_overs``.
    Four queries: the visits with their places counted in SQL, the teams with any
    pending hand-over, the waiting offers, the pending requests.
    """
    now = now or timezone.now()
    visits = list(
        with_places(
            Visit.objects.filter(stop__centre=centre)
            .in_week(monday)
            .not_cancelled()
            .select_related("stop")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("volunteer")
                    .prefetch_related(
                        Prefetch(
                            "hand_overs",
                            queryset=HandOver.objects.pending().select_related("to_volunteer"),
                            to_attr="pending",
                        )
                    )
                    .order_by("role", "volunteer__name"),
                    to_attr="team",
                ),
                Prefetch(
                    "offers",
                    queryset=Offer.objects.waiting().select_related("volunteer"),
                    to_attr="waiting_offers",
                ),
                Prefetch(
                    "take_requests",
                    queryset=TakeRequest.objects.pending().select_related("volunteer"),
                    to_attr="pending_requests",
                ),
            )
            .order_by("date", "start_time", "pk")
        )
    )
    today = timezone.localdate(now)
    tomorrow = today + dt.timedelta(days=1)
    warnings = []
    for visit in visits:
        # For the template: the visit's places and one slot per open place.
        places = places_annotated(visit)
        setattr(visit, "places", places)  # noqa: B010 (not a model field; mypy cannot see it)
        setattr(visit, "open_slots", range(places.open))  # noqa: B010
        # The day before is the last chance to find a driver (issue 13).
        if places.driver_open and today <= visit.date <= tomorrow:
            warnings.append(
                _("%(day)s %(place)s %(start)s still has no driver.")
                % {
                    "day": visit.date.strftime("%d.%m."),
                    "place": visit.stop.community,
                    "start": visit.start_time.strftime("%H:%M"),
                }
            )
    return WeekPlaces(visits=visits, warnings=warnings)
