"""
Every change volunteers make to their places, and the coordinator's answer to a
request: answer a shift, take an open place, accept an offer, hand over a shift.

Each change of a visit's team here first locks the visit's row
(``select_for_update``): two volunteers tapping the last place at the same
moment are served one after the other, and the second finds it filled. The
services return what changed (the offers made, the offers that lapsed), so a
caller (the messaging, issue 14) can tell the people concerned; nothing here
sends a message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planning.selectors import picker
from shifts.choices import HandOverState, OfferState, RequestState
from shifts.models import HandOver, Offer, TakeRequest
from visits.choices import VisitStatus
from visits.models import Visit
from visits.upcoming import is_still_to_come, local_now
from volunteers.choices import AssignmentAnswer, DeclineReason, VolunteerRole
from volunteers.models import Assignment, Volunteer
from volunteers.places import HOLDING, places_of

# Declining closer to the start than this is marked late (issue 13).
LATE_DECLINE = dt.timedelta(hours=24)
# How many of the picker's best a freed place is offered to at once.
OFFER_TO = 5


class PlaceGone(Exception):
    """The place was filled, or the offer lapsed, before this tap (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Changed:
    """What a service changed, for a caller that tells people about it."""

    assignment: Assignment | None = None
    request: TakeRequest | None = None
    hand_over: HandOver | None = None
    offers_made: list[Offer] = field(default_factory=list)
    offers_lapsed: list[Offer] = field(default_factory=list)
    changed: bool = True


def _locked(visit: Visit) -> Visit:
    # The row lock serialises every change of this visit's team (the last-place race).
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("stop", "pattern")
        .get(pk=visit.pk)
    )


def visit_starts_at(visit: Visit) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(visit.date, visit.start_time), timezone.get_default_timezone()
    )


def _check_to_come(visit: Visit, now: dt.datetime | None) -> None:
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit is cancelled."))
    if not is_still_to_come(visit.date, visit.start_time, now=now):
        raise ValidationError(_("The shift has started or is over; it can no longer be changed."))


def _check_may_hold(visit: Visit, volunteer: Volunteer, role: str) -> None:
    """A place of the volunteer's own centre, a driver's with a valid licence, no overlap."""
    if volunteer.home_centre_id != visit.stop.centre_id or not volunteer.active:
        raise PermissionDenied(_("This place belongs to another centre."))
    if role == VolunteerRole.DRIVER and not (
        volunteer.is_driver and volunteer.holds_valid_licence(visit.date)
    ):
        raise ValidationError(
            _("A driver's place needs a driving licence that is valid on %(day)s.")
            % {"day": visit.date.strftime("%d.%m.%Y")}
        )
    other = (
        Assignment.objects.filter(
            HOLDING,
            volunteer=volunteer,
            visit__date=visit.date,
            visit__start_time__lt=visit.end_time,
            visit__end_time__gt=visit.start_time,
        )
        .exclude(visit=visit)
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit__stop")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("You already have a shift then: %(place)s %(start)s–%(end)s.")
            % {
                "place": other.visit.stop.community,
                "start": other.visit.start_time.strftime("%H:%M"),
                "end": other.visit.end_time.strftime("%H:%M"),
            }
        )


def _seat(visit: Visit, volunteer: Volunteer, role: str, now: dt.datetime) -> Assignment:
    """Put the volunteer on the (locked) visit, confirmed: they chose the place themselves."""
    assignment = Assignment.objects.filter(visit=visit, volunteer=volunteer).first()
    if assignment is not None and assignment.answer != AssignmentAnswer.DECLINED:
        raise ValidationError(_("You are already on this visit."))
    assignment = assignment or Assignment(visit=visit, volunteer=volunteer)
    assignment.role = role
    assignment.answer = AssignmentAnswer.CONFIRMED
    assignment.confirmed = True
    assignment.answered_at = now
    assignment.decline_reason = ""
    assignment.decline_note = ""
    assignment.answer_late = False
    assignment._history_user = volunteer.user
    assignment.save()
    return assignment


def _lapse_filled(visit: Visit, now: dt.datetime, *, keep: Offer | None = None) -> list[Offer]:
    """Waiting offers of the visit whose role has no open place left: taken."""
    places = places_of(visit)
    lapsed = []
    for offer in Offer.objects.waiting().filter(visit=visit).select_related("volunteer"):
        if offer != keep and not places.open_for(offer.role):
            offer.state = OfferState.TAKEN
            offer.answered_at = now
            offer.save(update_fields=["state", "answered_at"])
            lapsed.append(offer)
    return lapsed


# Answer ----------------------------------------------------------------------


@transaction.atomic
def assignment_answer(
    *,
    assignment: Assignment,
    volunteer: Volunteer,
    answer: str,
    reason: str = "",
    note: str = "",
    submission_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> Changed:
    """
    "Jeg kommer" or "Jeg kan ikke" on my own shift. The same submission sent again
    (the phone's queue) changes nothing. A decline frees the place, is late when
    the shift starts within 24 hours, and offers the place to the picker's best.
    """
    if assignment.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This is not your shift."))
    now = now or timezone.now()
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if submission_id is not None and assignment.answer_submission_id == submission_id:
        return Changed(assignment=assignment, changed=False)
    visit = _locked(assignment.visit)
    _check_to_come(visit, now)
    if answer not in (AssignmentAnswer.CONFIRMED, AssignmentAnswer.DECLINED):
        raise ValidationError(_("Answer “confirmed” or “declined”."))
    if reason and reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons, or write your own.")})
    back = answer == AssignmentAnswer.CONFIRMED and assignment.answer == AssignmentAnswer.DECLINED
    if back and not places_of(visit).open_for(assignment.role):
        raise PlaceGone(_("Your place has been given to someone else meanwhile."))
    assignment.answer = answer
    assignment.answered_at = now
    assignment.answer_submission_id = submission_id
    assignment.confirmed = answer == AssignmentAnswer.CONFIRMED
    declined = answer == AssignmentAnswer.DECLINED
    assignment.decline_reason = reason if declined else ""
    assignment.decline_note = note if declined else ""
    assignment.answer_late = declined and visit_starts_at(visit) - now < LATE_DECLINE
    assignment._history_user = volunteer.user
    assignment.full_clean(exclude=["visit", "volunteer"])
    assignment.save()
    result = Changed(assignment=assignment)
    if declined:
        HandOver.objects.pending().filter(assignment=assignment).update(
            state=HandOverState.WITHDRAWN, answered_at=now
        )
        result.offers_made = _offer_freed_place(visit, assignment, now)
    else:
        result.offers_lapsed = _lapse_filled(visit, now)
    return result


def _offer_freed_place(visit: Visit, freed: Assignment, now: dt.datetime) -> list[Offer]:
    """
    Offer the freed place to the picker's "available" group, in its order (free
    that weekday, not busy elsewhere), skipping people away that day and, for a
    driver's place, people without a valid licence.
    """
    role = freed.role
    places = places_of(visit)
    if not places.open_for(role):
        return []
    if role != VolunteerRole.DRIVER or not places.driver_open:
        role = VolunteerRole.HOST if role == VolunteerRole.DRIVER else role
    candidates = [c.volunteer for c in picker(visit.stop.centre, visit)["available"]]
    ids = [v.pk for v in candidates if v.pk != freed.volunteer_id]
    allowed = Volunteer.objects.filter(pk__in=ids).not_away_on(visit.date)
    if role == VolunteerRole.DRIVER:
        allowed = allowed.filter(is_driver=True).with_valid_licence(visit.date)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    already = set(
        Offer.objects.waiting().filter(visit=visit).values_list("volunteer_id", flat=True)
    )
    chosen = [v for v in candidates if v.pk in allowed_ids and v.pk not in already][:OFFER_TO]
    return Offer.objects.bulk_create(
        Offer(visit=visit, role=role, volunteer=v, rank=rank, freed_by=freed)
        for rank, v in enumerate(chosen, start=1)
    )


# Offers ----------------------------------------------------------------------


@transaction.atomic
def offer_accept(*, offer: Offer, volunteer: Volunteer, now: dt.datetime | None = None) -> Changed:
    """The first of the offered to accept gets the place; the others' offers lapse."""
    if offer.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This offer is not yours."))
    now = now or timezone.now()
    visit = _locked(offer.visit)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state == OfferState.ACCEPTED:
        return Changed(assignment=visit.assignments.get(volunteer=volunteer), changed=False)
    if offer.state != OfferState.WAITING:
        raise PlaceGone(_("Someone else has taken this place, or it is no longer open."))
    _check_to_come(visit, now)
    if not places_of(visit).open_for(offer.role):
        offer.state = OfferState.TAKEN
        offer.answered_at = now
        offer.save(update_fields=["state", "answered_at"])
        raise PlaceGone(_("Someone else has taken this place, or it is no longer open."))
    _check_may_hold(visit, volunteer, offer.role)
    assignment = _seat(visit, volunteer, offer.role, now)
    offer.state = OfferState.ACCEPTED
    offer.answered_at = now
    offer.save(update_fields=["state", "answered_at"])
    return Changed(assignment=assignment, offers_lapsed=_lapse_filled(visit, now, keep=offer))


@transaction.atomic
def offer_decline(*, offer: Offer, volunteer: Volunteer, now: dt.datetime | None = None) -> Changed:
    if offer.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This offer is not yours."))
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state != OfferState.WAITING:
        return Changed(changed=False)
    offer.state = OfferState.DECLINED
    offer.answered_at = now or timezone.now()
    offer.save(update_fields=["state", "answered_at"])
    return Changed()


def offer_mark_announced(*, offer: Offer, at: dt.datetime | None = None) -> None:
    """For the messaging: the offer has been sent (offers_to_announce() leaves it out)."""
    Offer.objects.filter(pk=offer.pk, announced_at__isnull=True).update(
        announced_at=at or timezone.now()
    )


# Open places -----------------------------------------------------------------


@transaction.atomic
def place_take(
    *, visit: Visit, volunteer: Volunteer, role: str, now: dt.datetime | None = None
) -> Changed:
    """
    Take an open place with one tap: at once, or as a request the coordinator
    approves where the centre says so. Refused with the reason for a place that
    is not open for this role, a driver's place without a valid licence, or a
    place that overlaps one's own other shift.
    """
    now = now or timezone.now()
    if role not in (VolunteerRole.DRIVER, VolunteerRole.HOST):
        raise ValidationError({"role": _("Choose a driver's or a host's place.")})
    visit = _locked(visit)
    _check_to_come(visit, now)
    _check_may_hold(visit, volunteer, role)
    if Assignment.objects.filter(HOLDING, visit=visit, volunteer=volunteer).exists():
        raise ValidationError(_("You are already on this visit."))
    if not places_of(visit).open_for(role):
        raise PlaceGone(_("This place has just been taken by someone else."))
    if visit.stop.centre.places_need_approval:
        request, created = TakeRequest.objects.get_or_create(
            visit=visit, volunteer=volunteer, state=RequestState.PENDING, defaults={"role": role}
        )
        return Changed(request=request, changed=created)
    assignment = _seat(visit, volunteer, role, now)
    return Changed(assignment=assignment, offers_lapsed=_lapse_filled(visit, now))


@transaction.atomic
def take_request_decide(
    *, request: TakeRequest, user, approve: bool, now: dt.datetime | None = None
) -> Changed:
    """The coordinator approves a request (the place must still be open) or refuses it."""
    now = now or timezone.now()
    visit = _locked(request.visit)
    request = (
        TakeRequest.objects.select_for_update(of=("self",))
        .select_related("volunteer")
        .get(pk=request.pk)
    )
    if request.state != RequestState.PENDING:
        raise PlaceGone(_("This request has already been answered."))
    result = Changed(request=request)
    if approve:
        _check_to_come(visit, now)
        if not places_of(visit).open_for(request.role):
            raise PlaceGone(_("The place has been filled meanwhile."))
        _check_may_hold(visit, request.volunteer, request.role)
        result.assignment = _seat(visit, request.volunteer, request.role, now)
        result.offers_lapsed = _lapse_filled(visit, now)
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_at = now
    request.decided_by = user
    request.save(update_fields=["state", "decided_at", "decided_by"])
    return result


# Hand-overs ------------------------------------------------------------------


@transaction.atomic
def hand_over_start(
    *,
    assignment: Assignment,
    volunteer: Volunteer,
    to_volunteer: Volunteer,
    now: dt.datetime | None = None,
) -> Changed:
    """Ask a named colleague of the same centre to take over my shift."""
    if assignment.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This is not your shift."))
    visit = _locked(assignment.visit)
    _check_to_come(visit, now)
    if to_volunteer.home_centre_id != visit.stop.centre_id or not to_volunteer.active:
        raise ValidationError(
            {"to_volunteer": _("You can only hand over to an active volunteer of your centre.")}
        )
    if to_volunteer.pk == volunteer.pk:
        raise ValidationError({"to_volunteer": _("Choose a colleague, not yourself.")})
    if Assignment.objects.filter(HOLDING, visit=visit, volunteer=to_volunteer).exists():
        raise ValidationError(
            {"to_volunteer": _("%(name)s is already on this visit.") % {"name": to_volunteer.name}}
        )
    if HandOver.objects.pending().filter(assignment=assignment).exists():
        raise ValidationError(_("This shift is already offered to a colleague."))
    hand_over = HandOver.objects.create(
        assignment=assignment, from_volunteer=volunteer, to_volunteer=to_volunteer
    )
    return Changed(assignment=assignment, hand_over=hand_over)


@transaction.atomic
def hand_over_answer(
    *, hand_over: HandOver, volunteer: Volunteer, accept: bool, now: dt.datetime | None = None
) -> Changed:
    """The colleague accepts (the shift is theirs, confirmed) or declines (it stays)."""
    if hand_over.to_volunteer_id != volunteer.pk:
        raise PermissionDenied(_("This hand-over is not for you."))
    now = now or timezone.now()
    visit = _locked(hand_over.assignment.visit)
    hand_over = HandOver.objects.select_for_update().get(pk=hand_over.pk)
    if hand_over.state != HandOverState.PENDING:
        raise PlaceGone(_("This hand-over has already been answered or withdrawn."))
    result = Changed(hand_over=hand_over)
    if accept:
        _check_to_come(visit, now)
        assignment = Assignment.objects.select_for_update().get(pk=hand_over.assignment_id)
        _check_may_hold(visit, volunteer, assignment.role)
        # A decline of theirs on the same visit makes way for the place they take over.
        Assignment.objects.filter(
            visit=visit, volunteer=volunteer, answer=AssignmentAnswer.DECLINED
        ).delete()
        assignment.volunteer = volunteer
        assignment.answer = AssignmentAnswer.CONFIRMED
        assignment.confirmed = True
        assignment.answered_at = now
        assignment.answer_submission_id = None
        assignment.checked_in_at = None
        assignment._history_user = volunteer.user
        assignment.save()
        result.assignment = assignment
    hand_over.state = HandOverState.ACCEPTED if accept else HandOverState.DECLINED
    hand_over.answered_at = now
    hand_over.save(update_fields=["state", "answered_at"])
    return result


def local_today(now: dt.datetime | None = None) -> dt.date:
    return local_now(now).date()
