"""The planning services: the rules hold, and nothing is half written."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from planning.services import assignments, patterns, roster, route_order, visit_edit
from stops.models import Stop
from tests import factories as f
from tests.planning.helpers import on
from visits.choices import VisitStatus
from visits.models import Visit, VisitPattern
from visits.services import Outcome, ReportData, report_submit
from volunteers.models import Assignment

T = dt.time
CPH = ZoneInfo("Europe/Copenhagen")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on the Danish clock, to pass as now=."""
    return dt.datetime.combine(day, T(hour, minute), tzinfo=CPH)


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))


def test_moving_a_visit_marks_it_edited_and_raises_the_version(visit, coordinator):
    visit_edit.visit_move(
        visit=visit, version=1, date=on(3), start_time=T(13), end_time=T(15), user=coordinator
    )
    visit.refresh_from_db()
    assert (visit.date, visit.start_time, visit.is_edited, visit.version) == (on(3), T(13), True, 2)
    # The move is in the history (after the creation), as the coordinator's.
    assert visit.history.count() == 2
    assert visit.history.first().history_user == coordinator


def test_a_stale_version_is_refused_and_nothing_is_written(visit, coordinator):
    visit_edit.visit_move(
        visit=visit, version=1, date=on(3), start_time=T(13), end_time=T(15), user=coordinator
    )
    stale = Visit.objects.get(pk=visit.pk)
    with pytest.raises(visit_edit.VisitConflict) as caught:
        visit_edit.visit_move(
            visit=stale, version=1, date=on(4), start_time=T(9), end_time=T(10), user=coordinator
        )
    assert caught.value.visit.date == on(3)
    assert "Nothing was saved" in caught.value.message or "Intet blev gemt" in caught.value.message
    stale.refresh_from_db()
    assert (stale.date, stale.version) == (on(3), 2)


def test_two_coordinators_saving_the_same_version_only_the_first_wins(visit, coordinator):
    a, b = Visit.objects.get(pk=visit.pk), Visit.objects.get(pk=visit.pk)
    visit_edit.visit_cancel(visit=a, version=1, reason="Sne", user=coordinator)
    with pytest.raises(visit_edit.VisitConflict):
        visit_edit.visit_move(
            visit=b, version=1, date=on(4), start_time=T(9), end_time=T(10), user=coordinator
        )
    visit.refresh_from_db()
    assert (visit.status, visit.date) == (VisitStatus.CANCELLED, on(2))


def test_moving_into_the_past_is_refused(visit, coordinator):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        visit_edit.visit_move(
            visit=visit,
            version=1,
            date=yesterday,
            start_time=T(10),
            end_time=T(12),
            user=coordinator,
        )
    visit.refresh_from_db()
    assert visit.version == 1


def test_moving_years_ahead_is_refused(visit, coordinator):
    with pytest.raises(ValidationError):
        visit_edit.visit_move(
            visit=visit,
            version=1,
            date=on(2).replace(year=on(2).year + 5),
            start_time=T(10),
            end_time=T(12),
            user=coordinator,
        )


def test_an_end_before_the_start_is_refused(visit, coordinator):
    with pytest.raises(ValidationError):
        visit_edit.visit_move(
            visit=visit, version=1, date=on(2), start_time=T(12), end_time=T(11), user=coordinator
        )


def test_a_moved_visit_takes_the_holiday_of_its_new_date(visit, coordinator):
    christmas = dt.date(timezone.localdate().year + 1, 12, 25)
    visit_edit.visit_move(
        visit=visit, version=1, date=christmas, start_time=T(10), end_time=T(12), user=coordinator
    )
    visit.refresh_from_db()
    assert visit.is_holiday and visit.holiday_name


def test_cancel_needs_a_reason_and_restore_undoes_it(visit, coordinator):
    with pytest.raises(ValidationError):
        visit_edit.visit_cancel(visit=visit, version=1, reason="  ", user=coordinator)
    visit_edit.visit_cancel(visit=visit, version=1, reason="Vejret", user=coordinator)
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == (VisitStatus.CANCELLED, "Vejret")
    visit_edit.visit_restore(visit=visit, version=2, user=coordinator)
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason, visit.version) == (VisitStatus.PLANNED, "", 3)


def test_an_ad_hoc_visit_is_flagged_on_a_holiday(stop, centre, coordinator):
    christmas = dt.date(timezone.localdate().year + 1, 12, 25)
    visit = visit_edit.visit_add(
        centre=centre, stop=stop, date=christmas, start_time=T(10), end_time=T(12), user=coordinator
    )
    assert visit.is_ad_hoc and visit.is_holiday and visit.holiday_name == "Juledag"


def test_an_ad_hoc_visit_at_another_centres_stop_is_refused(centre, other_stop, coordinator):
    with pytest.raises(ValidationError):
        visit_edit.visit_add(
            centre=centre,
            stop=other_stop,
            date=on(2),
            start_time=T(10),
            end_time=T(12),
            user=coordinator,
        )
    assert not Visit.objects.exists()


def test_assigning_a_volunteer_of_another_centre_is_refused(visit, other_centre, coordinator):
    stranger = f.make_volunteer(other_centre)
    with pytest.raises(ValidationError):
        assignments.assignment_add(
            visit=visit, version=1, volunteer=stranger, role="host", user=coordinator
        )
    assert not Assignment.objects.exists()
    visit.refresh_from_db()
    assert visit.version == 1


def test_assigning_with_a_stale_version_writes_nothing(visit, centre, coordinator):
    volunteer = f.make_volunteer(centre)
    visit_edit.visit_cancel(
        visit=Visit.objects.get(pk=visit.pk), version=1, reason="x", user=coordinator
    )
    visit_edit.visit_restore(visit=Visit.objects.get(pk=visit.pk), version=2, user=coordinator)
    with pytest.raises(visit_edit.VisitConflict):
        assignments.assignment_add(
            visit=Visit.objects.get(pk=visit.pk),
            version=1,
            volunteer=volunteer,
            role="host",
            user=coordinator,
        )
    assert not Assignment.objects.exists()


def test_assign_and_remove_a_volunteer(visit, centre, coordinator):
    volunteer = f.make_volunteer(centre)
    assignment = assignments.assignment_add(
        visit=visit, version=1, volunteer=volunteer, role="driver", user=coordinator
    )
    assert assignment.role == "driver"
    with pytest.raises(ValidationError):
        assignments.assignment_add(
            visit=Visit.objects.get(pk=visit.pk),
            version=2,
            volunteer=volunteer,
            role="host",
            user=coordinator,
        )
    assignments.assignment_remove(
        visit=Visit.objects.get(pk=visit.pk), version=2, assignment=assignment, user=coordinator
    )
    assert not Assignment.objects.exists()


def test_reordering_the_roster_keeps_positions_unique(centre, coordinator):
    stops = [f.make_stop(centre) for _ in range(5)]
    new_order = [s.pk for s in reversed(stops)]
    roster.roster_reorder(centre=centre, stop_ids=new_order, user=coordinator)
    assert (
        list(
            Stop.objects.filter(centre=centre)
            .order_by("roster_position")
            .values_list("pk", flat=True)
        )
        == new_order
    )
    assert list(
        Stop.objects.filter(centre=centre)
        .order_by("roster_position")
        .values_list("roster_position", flat=True)
    ) == [1, 2, 3, 4, 5]


def test_reordering_with_a_missing_stop_is_refused(centre, coordinator):
    stops = [f.make_stop(centre) for _ in range(3)]
    with pytest.raises(ValidationError):
        roster.roster_reorder(centre=centre, stop_ids=[stops[0].pk, stops[1].pk], user=coordinator)
    assert list(
        Stop.objects.filter(centre=centre).order_by("pk").values_list("roster_position", flat=True)
    ) == [1, 2, 3]


def test_moving_a_stop_up_swaps_it_with_the_one_above(centre, coordinator):
    a, b, c = (f.make_stop(centre) for _ in range(3))
    roster.roster_move(centre=centre, stop=c, offset=-1, user=coordinator)
    assert list(Stop.objects.filter(centre=centre).order_by("roster_position")) == [a, c, b]
    # Only the two that swapped are written: the first stop gets no history row.
    assert [s.history.count() for s in (a, b, c)] == [1, 2, 2]


def test_deactivating_a_stop_cancels_its_coming_visits(stop, coordinator):
    coming = f.make_visit(stop, date=on(2))
    past = f.make_visit(stop, date=timezone.localdate() - dt.timedelta(days=3))
    assert roster.stop_set_active(stop=stop, active=False, user=coordinator).cancelled == 1
    coming.refresh_from_db()
    past.refresh_from_db()
    assert coming.status == VisitStatus.CANCELLED and past.status == VisitStatus.PLANNED


def test_taking_a_stop_off_leaves_a_cafe_that_has_started_today(stop, coordinator):
    tuesday = on(2)
    this_morning = f.make_visit(stop, date=tuesday, start_time=T(9), end_time=T(11))
    this_afternoon = f.make_visit(stop, date=tuesday, start_time=T(14), end_time=T(16))
    off = roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(tuesday, 10))
    assert off.cancelled == 1
    this_morning.refresh_from_db()
    this_afternoon.refresh_from_db()
    assert (this_morning.status, this_morning.version) == (VisitStatus.PLANNED, 1)
    assert this_afternoon.status == VisitStatus.CANCELLED


def test_a_report_of_this_mornings_cafe_is_taken_after_the_stop_is_taken_off_at_noon(
    stop, coordinator, volunteer_user
):
    """A volunteer's report, queued on a phone without signal, arrives after the change."""
    today = timezone.localdate()
    this_morning = f.make_visit(stop, date=today, start_time=T(9), end_time=T(11))
    roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(today, 12))
    result = report_submit(
        visit=Visit.objects.get(pk=this_morning.pk),  # as the report view fetches it
        user=volunteer_user,
        submission_id=uuid.uuid4(),
        data=ReportData(people_met=9, meals=8),
    )
    assert result.outcome == Outcome.CREATED
    this_morning.refresh_from_db()
    assert this_morning.status == VisitStatus.HELD


def test_putting_a_stop_back_plans_again_only_the_visits_taking_it_off_cancelled(stop, coordinator):
    monday = on(1)
    storm = f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))
    visit_edit.visit_cancel(visit=storm, version=1, reason="Storm", user=coordinator)
    coming = [
        f.make_visit(stop, date=monday + dt.timedelta(days=d), start_time=T(10), end_time=T(12))
        for d in (2, 3, 9)
    ]
    off = roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(monday, 8))
    assert off.cancelled == 3

    back = roster.stop_set_active(stop=stop, active=True, user=coordinator, now=at(monday, 9))

    for visit in coming:
        visit.refresh_from_db()
        assert (visit.status, visit.cancel_reason) == (VisitStatus.PLANNED, "")
        assert visit.version == 3  # cancelled, then planned again: the editors see the change
        assert not visit.is_edited  # it still follows its pattern, as before
        latest = visit.history.latest()
        assert (latest.status, latest.history_user) == (VisitStatus.PLANNED, coordinator)
    storm.refresh_from_db()
    assert (storm.status, storm.cancel_reason) == (VisitStatus.CANCELLED, "Storm")
    assert (back.restored, back.still_cancelled) == (3, 1)


def test_a_visit_cancelled_again_by_hand_while_the_stop_was_off_stays_cancelled(stop, coordinator):
    monday = on(1)
    visit = f.make_visit(stop, date=on(3))
    roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(monday, 8))
    visit.refresh_from_db()
    visit_edit.visit_cancel(
        visit=visit, version=visit.version, reason="Hallen er lukket", user=coordinator
    )
    roster.stop_set_active(stop=stop, active=True, user=coordinator, now=at(monday, 9))
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == (VisitStatus.CANCELLED, "Hallen er lukket")


def test_a_visit_whose_time_came_while_the_stop_was_off_stays_cancelled(stop, coordinator):
    tuesday = on(2)
    gone_by = f.make_visit(stop, date=tuesday, start_time=T(10), end_time=T(12))
    later_today = f.make_visit(stop, date=tuesday, start_time=T(14), end_time=T(16))
    roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(on(1), 8))
    back = roster.stop_set_active(stop=stop, active=True, user=coordinator, now=at(tuesday, 11))
    gone_by.refresh_from_db()
    later_today.refresh_from_db()
    assert gone_by.status == VisitStatus.CANCELLED
    assert later_today.status == VisitStatus.PLANNED
    assert back.restored == 1


def test_putting_a_stop_back_plans_its_coming_weeks_without_doubles(stop, coordinator):
    monday = on(1)
    patterns.pattern_save(
        stop=stop, fields=_pattern_fields(valid_from=monday), user=coordinator, now=at(monday, 8)
    )
    planned = Visit.objects.filter(stop=stop).count()
    roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(monday, 8))
    three_weeks_on = monday + dt.timedelta(weeks=3)
    back = roster.stop_set_active(
        stop=stop, active=True, user=coordinator, now=at(three_weeks_on, 8)
    )
    # The three Tuesdays that went by while it was off stay cancelled; the rest come
    # back, and the horizon, three weeks further on, gets three new Tuesdays.
    assert (back.restored, back.created) == (planned - 3, 3)
    coming = Visit.objects.filter(stop=stop, date__gte=three_weeks_on)
    assert set(coming.values_list("status", flat=True)) == {VisitStatus.PLANNED}
    dates = list(coming.values_list("date", flat=True))
    assert len(dates) == len(set(dates)) == planned


def test_visits_that_come_back_follow_a_pattern_changed_while_the_stop_was_off(
    stop, centre, coordinator
):
    monday = on(1)
    pattern, _sync = patterns.pattern_save(
        stop=stop, fields=_pattern_fields(valid_from=monday), user=coordinator, now=at(monday, 8)
    )
    staffed = Visit.objects.filter(pattern=pattern).order_by("date").last()
    f.make_assignment(staffed, f.make_volunteer(centre))
    roster.stop_set_active(stop=stop, active=False, user=coordinator, now=at(monday, 8))
    patterns.pattern_save(
        stop=stop,
        pattern=pattern,
        fields=_pattern_fields(valid_from=monday, weekday=4, start_time=T(13)),
        user=coordinator,
        now=at(monday, 9),
    )
    back = roster.stop_set_active(stop=stop, active=True, user=coordinator, now=at(monday, 10))
    planned = Visit.objects.filter(pattern=pattern, status=VisitStatus.PLANNED)
    # Only the Tuesday with a volunteer on it comes back (kept, for the coordinator
    # to move); the others gave way to the Thursdays the pattern now gives.
    assert set(planned.exclude(pk=staffed.pk).values_list("start_time", flat=True)) == {T(13)}
    assert {v.date.isoweekday() for v in planned.exclude(pk=staffed.pk)} == {4}
    assert (back.restored, back.kept) == (1, 1)


def test_a_new_stop_goes_to_the_end_with_a_free_address(centre, stop, coordinator):
    fields = dict.fromkeys(Stop.PLACE_FIELDS, "")
    fields.update(
        community="Redsted",
        venue_name="Hallen",
        venue_kind="other",
        coverage="good",
        latitude=None,
        longitude=None,
    )
    new = roster.stop_create(centre=centre, fields=fields, user=coordinator)
    assert new.roster_position == 2
    assert new.slug != stop.slug and new.slug.startswith("redsted")


def _pattern_fields(**overrides):
    fields = {
        "weekday": 2,
        "start_time": T(10),
        "duration_minutes": 120,
        "every_n_weeks": 1,
        "anchor_date": None,
        "valid_from": timezone.localdate(),
        "valid_until": None,
    }
    return {**fields, **overrides}


def test_an_overlapping_pattern_is_refused(stop, coordinator):
    patterns.pattern_save(stop=stop, fields=_pattern_fields(), user=coordinator)
    with pytest.raises(ValidationError):
        patterns.pattern_save(stop=stop, fields=_pattern_fields(start_time=T(14)), user=coordinator)
    assert VisitPattern.objects.count() == 1


def test_a_pattern_past_midnight_is_refused(stop, coordinator):
    with pytest.raises(ValidationError):
        patterns.pattern_save(
            stop=stop,
            fields=_pattern_fields(start_time=T(23), duration_minutes=120),
            user=coordinator,
        )


def test_a_new_pattern_plans_the_coming_weeks(stop, coordinator):
    _pattern, sync = patterns.pattern_save(stop=stop, fields=_pattern_fields(), user=coordinator)
    assert sync.created >= 8
    assert Visit.objects.filter(stop=stop).count() == sync.created


def test_changing_a_pattern_retimes_untouched_visits_and_leaves_edited_ones(
    stop, centre, coordinator
):
    pattern, sync = patterns.pattern_save(stop=stop, fields=_pattern_fields(), user=coordinator)
    edited = Visit.objects.filter(pattern=pattern).order_by("date").last()
    visit_edit.visit_move(
        visit=edited, version=1, date=edited.date, start_time=T(9), end_time=T(11), user=coordinator
    )
    _pattern, sync = patterns.pattern_save(
        stop=stop, pattern=pattern, fields=_pattern_fields(start_time=T(13)), user=coordinator
    )
    assert sync.retimed == Visit.objects.filter(pattern=pattern).count() - 1
    edited.refresh_from_db()
    assert edited.start_time == T(9)
    assert set(
        Visit.objects.filter(pattern=pattern)
        .exclude(pk=edited.pk)
        .values_list("start_time", flat=True)
    ) == {T(13)}


def test_moving_a_pattern_to_another_weekday_replaces_empty_visits_and_keeps_staffed_ones(
    stop, centre, coordinator
):
    pattern, _sync = patterns.pattern_save(
        stop=stop, fields=_pattern_fields(weekday=2), user=coordinator
    )
    staffed = Visit.objects.filter(pattern=pattern).order_by("date").first()
    f.make_assignment(staffed, f.make_volunteer(centre))
    _pattern, sync = patterns.pattern_save(
        stop=stop, pattern=pattern, fields=_pattern_fields(weekday=4), user=coordinator
    )
    assert sync.kept == 1 and sync.removed >= 7 and sync.created >= 8
    weekdays = {
        v.date.isoweekday() for v in Visit.objects.filter(pattern=pattern).exclude(pk=staffed.pk)
    }
    assert weekdays == {4}


def _tuesday_at_ten(stop, coordinator, tuesday):
    """A Tuesday 10:00 pattern saved early on ``tuesday``: that day's café is planned."""
    pattern, _sync = patterns.pattern_save(
        stop=stop, fields=_pattern_fields(valid_from=tuesday), user=coordinator, now=at(tuesday, 7)
    )
    assert Visit.objects.filter(pattern=pattern, date=tuesday, start_time=T(10)).exists()
    return pattern


def test_a_new_time_leaves_a_cafe_that_has_started_today_as_it_is(stop, coordinator):
    tuesday = on(2)
    pattern = _tuesday_at_ten(stop, coordinator, tuesday)
    patterns.pattern_save(
        stop=stop,
        pattern=pattern,
        fields=_pattern_fields(valid_from=tuesday, start_time=T(13)),
        user=coordinator,
        now=at(tuesday, 10, 30),
    )
    this_morning = Visit.objects.get(pattern=pattern, date=tuesday)
    assert (this_morning.start_time, this_morning.version) == (T(10), 1)
    next_week = Visit.objects.get(pattern=pattern, date=tuesday + dt.timedelta(days=7))
    assert next_week.start_time == T(13)


def test_a_new_weekday_does_not_remove_a_cafe_that_has_started_today(stop, coordinator):
    tuesday = on(2)
    pattern = _tuesday_at_ten(stop, coordinator, tuesday)
    _pattern, sync = patterns.pattern_save(
        stop=stop,
        pattern=pattern,
        fields=_pattern_fields(valid_from=tuesday, weekday=4),
        user=coordinator,
        now=at(tuesday, 10, 30),
    )
    assert Visit.objects.filter(pattern=pattern, date=tuesday, start_time=T(10)).exists()
    assert not Visit.objects.filter(pattern=pattern, date=tuesday + dt.timedelta(days=7)).exists()
    assert sync.removed >= 8


def test_a_cafe_later_today_follows_a_new_time_unless_that_time_has_gone_by(stop, coordinator):
    tuesday = on(2)
    pattern = _tuesday_at_ten(stop, coordinator, tuesday)
    patterns.pattern_save(
        stop=stop,
        pattern=pattern,
        fields=_pattern_fields(valid_from=tuesday, start_time=T(8)),
        user=coordinator,
        now=at(tuesday, 9),
    )
    # At nine, 08:00 has gone by: today's café stays at ten, where people expect it.
    today = Visit.objects.get(pattern=pattern, date=tuesday)
    assert today.start_time == T(10)
    patterns.pattern_save(
        stop=stop,
        pattern=pattern,
        fields=_pattern_fields(valid_from=tuesday, start_time=T(11)),
        user=coordinator,
        now=at(tuesday, 9),
    )
    today.refresh_from_db()
    assert today.start_time == T(11)


def _route_day(centre):
    near = f.make_stop(centre, latitude=56.05, longitude=9.0)
    far = f.make_stop(centre, latitude=56.3, longitude=9.0)
    middle = f.make_stop(centre, latitude=56.15, longitude=9.0)
    day = on(3)
    visits = [
        f.make_visit(far, date=day, start_time=T(9), end_time=T(10)),
        f.make_visit(near, date=day, start_time=T(11), end_time=T(12)),
        f.make_visit(middle, date=day, start_time=T(14), end_time=T(15, 30)),
    ]
    return day, visits


def test_applying_a_route_order_hands_out_the_same_slots(centre, coordinator):
    day, (far, near, middle) = _route_day(centre)
    route_order.route_apply(
        centre=centre,
        day=day,
        order=[near.pk, middle.pk, far.pk],
        versions={v.pk: 1 for v in (far, near, middle)},
        user=coordinator,
    )
    for v in (far, near, middle):
        v.refresh_from_db()
    assert (near.start_time, near.end_time) == (T(9), T(10))
    assert (middle.start_time, middle.end_time) == (T(11), T(12))
    assert (far.start_time, far.end_time) == (T(14), T(15, 30))
    assert far.is_edited and far.version == 2


def test_a_stale_route_changes_nothing(centre, coordinator):
    day, (far, near, middle) = _route_day(centre)
    visit_edit.visit_cancel(
        visit=Visit.objects.get(pk=far.pk), version=1, reason="x", user=coordinator
    )
    visit_edit.visit_restore(visit=Visit.objects.get(pk=far.pk), version=2, user=coordinator)
    with pytest.raises(visit_edit.VisitConflict):
        route_order.route_apply(
            centre=centre,
            day=day,
            order=[near.pk, middle.pk, far.pk],
            versions={v.pk: 1 for v in (far, near, middle)},
            user=coordinator,
        )
    near.refresh_from_db()
    assert near.start_time == T(11) and near.version == 1


def test_a_route_with_another_centres_visit_is_refused(centre, other_stop, coordinator):
    day, (_far, near, _middle) = _route_day(centre)
    foreign = f.make_visit(other_stop, date=day)
    with pytest.raises(visit_edit.VisitConflict):
        route_order.route_apply(
            centre=centre,
            day=day,
            order=[foreign.pk, near.pk],
            versions={foreign.pk: 1, near.pk: 1},
            user=coordinator,
        )


def test_saving_the_same_time_changes_nothing(visit, coordinator):
    visit_edit.visit_move(
        visit=visit, version=1, date=on(2), start_time=T(10), end_time=T(12), user=coordinator
    )
    visit.refresh_from_db()
    assert (visit.version, visit.is_edited) == (1, False)
