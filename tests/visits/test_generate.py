import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests import factories as f
from visits.choices import VisitStatus
from visits.models import Visit, VisitPattern
from visits.services import visits_generate

MONDAY = dt.date(2026, 11, 23)  # week 48
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def tuesday_pattern(stop):
    return f.make_pattern(stop, weekday=2, start_time=dt.time(10, 0), duration_minutes=90)


def test_it_creates_a_visit_per_pattern_date_in_the_horizon(tuesday_pattern):
    result = visits_generate(weeks=2, today=MONDAY)
    # This week and the next two: 24 Nov, 1 Dec, 8 Dec.
    assert result.end == dt.date(2026, 12, 13)
    dates = list(Visit.objects.values_list("date", flat=True))
    assert dates == [dt.date(2026, 11, 24), dt.date(2026, 12, 1), dt.date(2026, 12, 8)]
    visit = Visit.objects.first()
    assert (visit.start_time, visit.end_time) == (dt.time(10, 0), dt.time(11, 30))
    assert visit.status == VisitStatus.PLANNED
    assert visit.pattern == tuesday_pattern
    assert visit.pattern_date == visit.date


def test_running_it_twice_creates_nothing_new(tuesday_pattern):
    visits_generate(weeks=4, today=MONDAY)
    before = list(Visit.objects.values_list("pk", "date", "version"))
    second = visits_generate(weeks=4, today=MONDAY)
    assert second.created == 0
    assert list(Visit.objects.values_list("pk", "date", "version")) == before


def test_it_never_creates_visits_in_the_past(tuesday_pattern):
    visits_generate(weeks=1, today=dt.date(2026, 11, 25))  # Wednesday
    assert list(Visit.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 1)]


def test_a_cafe_that_has_already_started_today_is_not_made_but_a_later_one_is(stop, centre):
    """A pattern made at 15:00 must not leave a 10:00 café today that nobody held."""
    f.make_pattern(stop, weekday=1, start_time=dt.time(10, 0))
    afternoon = f.make_pattern(f.make_stop(centre), weekday=1, start_time=dt.time(16, 0))
    result = visits_generate(weeks=1, now=dt.datetime(2026, 11, 23, 15, 0, tzinfo=CPH))
    assert result.start == MONDAY
    next_monday = MONDAY + dt.timedelta(days=7)
    assert sorted(Visit.objects.values_list("stop", "date")) == sorted(
        [(stop.pk, next_monday), (afternoon.stop_id, MONDAY), (afternoon.stop_id, next_monday)]
    )


def test_given_a_day_it_plans_the_whole_of_that_day(stop):
    # today= is "as if it were the first moment of that day": the demo seed, whose
    # history ends yesterday, plans today's cafés this way.
    f.make_pattern(stop, weekday=1, start_time=dt.time(0, 0))
    visits_generate(weeks=1, today=MONDAY)
    assert Visit.objects.filter(date=MONDAY).exists()


def test_a_moved_visit_is_not_made_again(tuesday_pattern):
    visits_generate(weeks=1, today=MONDAY)
    moved = Visit.objects.get(date=dt.date(2026, 11, 24))
    moved.date = dt.date(2026, 11, 26)
    moved.is_edited = True
    moved.save()
    visits_generate(weeks=1, today=MONDAY)
    assert Visit.objects.filter(pattern_date=dt.date(2026, 11, 24)).count() == 1
    assert not Visit.objects.filter(date=dt.date(2026, 11, 24)).exists()


def test_edited_cancelled_and_held_visits_are_left_as_they_are(tuesday_pattern):
    visits_generate(weeks=2, today=MONDAY)
    first, second, third = Visit.objects.order_by("date")
    first.status, first.cancel_reason = VisitStatus.CANCELLED, "Storm"
    first.save()
    second.start_time, second.end_time, second.is_edited = dt.time(13, 0), dt.time(14, 0), True
    second.save()
    third.status = VisitStatus.HELD
    third.save()
    tuesday_pattern.start_time = dt.time(9, 0)
    tuesday_pattern.save()

    visits_generate(weeks=2, today=MONDAY)

    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, first.cancel_reason) == (VisitStatus.CANCELLED, "Storm")
    assert second.start_time == dt.time(13, 0)
    assert third.status == VisitStatus.HELD
    assert Visit.objects.count() == 3


def test_it_respects_every_n_weeks(stop):
    f.make_pattern(stop, weekday=5, every_n_weeks=3, anchor_date=dt.date(2026, 11, 27))
    visits_generate(weeks=8, today=MONDAY)
    assert list(Visit.objects.values_list("date", flat=True)) == [
        dt.date(2026, 11, 27),
        dt.date(2026, 12, 18),
        dt.date(2027, 1, 8),
    ]


def test_it_respects_valid_from_and_until(stop):
    f.make_pattern(
        stop, weekday=1, valid_from=dt.date(2026, 12, 1), valid_until=dt.date(2026, 12, 14)
    )
    visits_generate(weeks=6, today=MONDAY)
    assert list(Visit.objects.values_list("date", flat=True)) == [
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 14),
    ]


def test_it_flags_danish_public_holidays(stop):
    f.make_pattern(stop, weekday=5)  # Fridays: 25 December 2026 is Christmas Day
    visits_generate(weeks=6, today=MONDAY)
    christmas = Visit.objects.get(date=dt.date(2026, 12, 25))
    assert christmas.is_holiday
    assert christmas.holiday_name == "Juledag"
    assert not Visit.objects.get(date=dt.date(2026, 12, 18)).is_holiday


def test_inactive_stops_and_centres_get_no_visits(stop, other_stop):
    f.make_pattern(stop)
    f.make_pattern(other_stop)
    stop.active = False
    stop.save()
    other_stop.centre.active = False
    other_stop.centre.save()
    assert visits_generate(weeks=2, today=MONDAY).created == 0


def test_it_can_be_limited_to_one_centre(stop, other_stop):
    f.make_pattern(stop)
    f.make_pattern(other_stop)
    visits_generate(weeks=1, today=MONDAY, centres=[stop.centre])
    assert set(Visit.objects.values_list("stop", flat=True)) == {stop.pk}


def test_overlapping_patterns_stop_the_run_and_nothing_is_written(stop, other_stop):
    f.make_pattern(other_stop)
    f.make_pattern(stop, weekday=2)
    # Bypass full_clean, as a bulk import might.
    VisitPattern.objects.create(
        stop=stop, weekday=2, start_time=dt.time(15, 0), valid_from=dt.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="overlap"):
        visits_generate(weeks=2, today=MONDAY)
    assert not Visit.objects.exists()


def test_weeks_must_be_sane(db):
    with pytest.raises(ValidationError):
        visits_generate(weeks=0)
    with pytest.raises(ValidationError):
        visits_generate(weeks=1000)


def test_the_command_reports_what_it_made(tuesday_pattern):
    out = StringIO()
    call_command("generate_visits", "--weeks", "2", stdout=out)
    assert "Created" in out.getvalue()
    assert Visit.objects.exists()


def test_the_command_gives_a_clear_error_for_bad_weeks(db):
    with pytest.raises(CommandError, match="Uger skal være mellem 1 og 104"):
        call_command("generate_visits", "--weeks", "0")


def test_the_command_gives_a_clear_error_for_an_unknown_centre(db):
    with pytest.raises(CommandError, match="No centre with id 999"):
        call_command("generate_visits", "--centre", "999")


def test_the_command_names_overlapping_patterns(stop):
    f.make_pattern(stop, weekday=2)
    VisitPattern.objects.create(
        stop=stop, weekday=2, start_time=dt.time(15, 0), valid_from=dt.date(2026, 6, 1)
    )
    with pytest.raises(CommandError, match="Redsted"):
        call_command("generate_visits")
    assert not Visit.objects.exists()
