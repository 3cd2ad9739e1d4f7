"""The rules of answering, taking, offers and hand-overs (shifts.services)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from shifts.choices import HandOverState, OfferState, RequestState
from shifts.models import Offer, TakeRequest
from shifts.services import (
    PlaceGone,
    assignment_answer,
    hand_over_answer,
    hand_over_start,
    offer_accept,
    place_take,
    take_request_decide,
)
from tests import factories as f
from tests.concurrency import at_once, raised
from tests.shifts.conftest import NEXT_WEEK, licence
from visits.models import Visit
from volunteers.choices import AssignmentAnswer
from volunteers.models import Absence, Assignment
from volunteers.places import places_annotated, places_of, with_places

pytestmark = pytest.mark.django_db


def _declined(assignment, **kwargs):
    return assignment_answer(
        assignment=assignment, volunteer=assignment.volunteer, answer="declined", **kwargs
    )


# Answer ----------------------------------------------------------------------


def test_confirming_marks_the_shift_coming(vera_on, vera):
    result = assignment_answer(assignment=vera_on, volunteer=vera, answer="confirmed")
    vera_on.refresh_from_db()
    assert (vera_on.answer, vera_on.confirmed, result.changed) == ("confirmed", True, True)


def test_declining_frees_the_place_and_says_why(vera_on, dan_on, visit):
    assert places_of(visit).open == 0
    _declined(vera_on, reason="ill", note="Forkølet")
    vera_on.refresh_from_db()
    assert (vera_on.answer, vera_on.decline_reason, vera_on.decline_note) == (
        "declined",
        "ill",
        "Forkølet",
    )
    assert not vera_on.answer_late
    assert places_of(visit).open == 1


def test_declining_within_24_hours_is_marked_late(vera_on, visit):
    start = timezone.make_aware(dt.datetime.combine(visit.date, visit.start_time))
    _declined(vera_on, now=start - dt.timedelta(hours=23))
    vera_on.refresh_from_db()
    assert vera_on.answer_late


def test_declining_a_shift_that_has_started_is_refused_and_changes_nothing(vera_on, visit):
    start = timezone.make_aware(dt.datetime.combine(visit.date, visit.start_time))
    with pytest.raises(ValidationError, match="begyndt eller er forbi"):
        _declined(vera_on, now=start + dt.timedelta(minutes=1))
    vera_on.refresh_from_db()
    assert vera_on.answer == ""


def test_declining_a_past_shift_is_refused(stop, vera):
    past = f.make_visit(stop, date=timezone.localdate() - dt.timedelta(days=1))
    shift = f.make_assignment(past, vera)
    with pytest.raises(ValidationError):
        _declined(shift)


def test_a_reason_with_a_phone_number_is_refused(vera_on):
    with pytest.raises(ValidationError) as refused:
        _declined(vera_on, note="ring 12345678")
    assert "decline_note" in refused.value.message_dict
    vera_on.refresh_from_db()
    assert vera_on.answer == ""


def test_the_same_submission_twice_counts_once(vera_on, vera):
    submission = uuid.uuid4()
    first = _declined(vera_on, submission_id=submission)
    again = _declined(vera_on, submission_id=submission)
    assert (first.changed, again.changed) == (True, False)
    assert len(first.offers_made) == Offer.objects.count()


def test_someone_elses_shift_cannot_be_answered(vera_on, hans):
    with pytest.raises(PermissionDenied):
        assignment_answer(assignment=vera_on, volunteer=hans, answer="declined")


# Offers ----------------------------------------------------------------------


def test_a_decline_offers_the_place_to_the_pickers_available_best_first(
    vera_on, dan_on, hans, centre, visit
):
    busy_elsewhere = f.make_volunteer(centre, name="Anna Andetsted", available_weekdays="1234567")
    f.make_assignment(f.make_visit(visit.stop, date=visit.date), busy_elsewhere)
    away = f.make_volunteer(centre, name="Bo Bortrejst", available_weekdays="1234567")
    Absence.objects.create(volunteer=away, starts_on=visit.date, ends_on=visit.date)
    result = _declined(vera_on)
    assert [(o.volunteer.name, o.rank, o.role) for o in result.offers_made] == [
        ("Hans Hjælper", 1, "host")
    ]


def test_the_first_to_accept_gets_the_place_and_the_other_offers_lapse(
    vera_on, dan_on, hans, centre, visit
):
    ida = f.make_volunteer(
        centre, user=f.make_user("ida"), name="Ida", available_weekdays="1234567"
    )
    offers = _declined(vera_on).offers_made
    hans_offer = next(o for o in offers if o.volunteer == hans)
    ida_offer = next(o for o in offers if o.volunteer == ida)
    won = offer_accept(offer=hans_offer, volunteer=hans)
    assert won.assignment.volunteer == hans
    assert [o.pk for o in won.offers_lapsed] == [ida_offer.pk]
    ida_offer.refresh_from_db()
    assert ida_offer.state == OfferState.TAKEN
    with pytest.raises(PlaceGone, match="taget denne plads"):
        offer_accept(offer=ida_offer, volunteer=ida)
    assert places_of(visit).open == 0


def test_an_offer_is_accepted_only_by_whom_it_was_made_for(vera_on, dan_on, hans, dan):
    offer = _declined(vera_on).offers_made[0]
    with pytest.raises(PermissionDenied):
        offer_accept(offer=offer, volunteer=dan)


# Open places -----------------------------------------------------------------


def test_taking_an_open_place_puts_me_on_the_team_confirmed(visit, hans):
    result = place_take(visit=visit, volunteer=hans, role="host")
    assert (result.assignment.volunteer, result.assignment.answer) == (hans, "confirmed")


def test_the_drivers_place_is_only_for_a_driver_with_a_valid_licence(visit, vera_on, hans, dan):
    with pytest.raises(PlaceGone):
        place_take(visit=visit, volunteer=hans, role="host")  # only the driver's is left
    hans.is_driver = True
    hans.save()
    with pytest.raises(ValidationError, match="kørekort"):
        place_take(visit=visit, volunteer=hans, role="driver")  # no licence at all
    licence(hans, valid_until=visit.date - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="kørekort"):
        place_take(visit=visit, volunteer=hans, role="driver")  # expired the day before
    assert place_take(visit=visit, volunteer=dan, role="driver").assignment.role == "driver"


def test_taking_a_place_that_overlaps_my_other_shift_is_refused_with_the_reason(visit, stop, hans):
    elsewhere = f.make_stop(stop.centre, community="Øster Jølby", slug="oster-jolby")
    f.make_assignment(
        f.make_visit(elsewhere, date=visit.date, start_time=dt.time(11), end_time=dt.time(13)),
        hans,
    )
    with pytest.raises(ValidationError, match="Øster Jølby 11:00–13:00"):
        place_take(visit=visit, volunteer=hans, role="host")
    assert not Assignment.objects.filter(visit=visit).exists()


def test_a_place_of_another_centre_cannot_be_taken(visit, olga):
    with pytest.raises(PermissionDenied):
        place_take(visit=visit, volunteer=olga, role="host")


def test_where_the_centre_approves_a_tap_is_a_request_until_the_coordinator_says_yes(
    visit, hans, coordinator, centre
):
    centre.places_need_approval = True
    centre.save()
    request = place_take(visit=visit, volunteer=hans, role="host").request
    assert request.state == RequestState.PENDING
    assert not Assignment.objects.filter(visit=visit).exists()
    result = take_request_decide(request=request, user=coordinator, approve=True)
    assert result.assignment.volunteer == hans
    assert TakeRequest.objects.get().state == RequestState.APPROVED


def test_places_counted_in_sql_agree_with_the_locked_count(visit, vera_on, dan_on, hans):
    f.make_assignment(visit, hans, answer=AssignmentAnswer.DECLINED)
    visit.places_wanted = 4
    visit.save()
    annotated = places_annotated(with_places(Visit.objects.filter(pk=visit.pk)).get())
    assert annotated == places_of(visit)
    assert (annotated.open, annotated.filled, annotated.driver_open) == (2, 2, False)


def test_a_pattern_and_a_visit_override_the_stops_places(stop):
    pattern = f.make_pattern(stop, places_wanted=3, needs_driver=False)
    from_pattern = f.make_visit(stop, pattern=pattern, date=NEXT_WEEK)
    assert (places_of(from_pattern).wanted, places_of(from_pattern).needs_driver) == (3, False)
    from_pattern.places_wanted = 1
    from_pattern.save()
    assert places_of(from_pattern).wanted == 1
    assert places_of(f.make_visit(stop, date=NEXT_WEEK)).wanted == 2


# Hand-overs ------------------------------------------------------------------


def test_a_hand_over_accepted_makes_the_shift_the_colleagues(vera_on, vera, hans):
    hand_over = hand_over_start(assignment=vera_on, volunteer=vera, to_volunteer=hans).hand_over
    result = hand_over_answer(hand_over=hand_over, volunteer=hans, accept=True)
    vera_on.refresh_from_db()
    assert (vera_on.volunteer, vera_on.answer) == (hans, "confirmed")
    assert result.hand_over.state == HandOverState.ACCEPTED


def test_a_hand_over_declined_leaves_the_shift_with_me(vera_on, vera, hans):
    hand_over = hand_over_start(assignment=vera_on, volunteer=vera, to_volunteer=hans).hand_over
    hand_over_answer(hand_over=hand_over, volunteer=hans, accept=False)
    vera_on.refresh_from_db()
    assert vera_on.volunteer == vera


def test_a_hand_over_to_a_volunteer_of_another_centre_is_refused(vera_on, vera, olga):
    with pytest.raises(ValidationError, match="aktiv frivillig fra dit center"):
        hand_over_start(assignment=vera_on, volunteer=vera, to_volunteer=olga)


# The race --------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_volunteers_taking_the_last_place_at_the_same_moment_exactly_one_gets_it(
    visit, vera_on, centre
):
    visit.needs_driver = False
    visit.save()
    one, two = (
        f.make_volunteer(centre, name=name, available_weekdays="1234567") for name in ("A", "B")
    )

    def take(volunteer):
        return lambda: place_take(visit=visit, volunteer=volunteer, role="host")

    results = at_once(take(one), take(two))
    assert [type(error) for error in raised(results)] == [PlaceGone]
    assert Assignment.objects.filter(visit=visit).count() == 2
