import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f
from visits.models import VisitPattern


@pytest.mark.parametrize(
    "field", ["people_met", "new_people", "meals", "food_bags", "clothing_items", "other_items"]
)
def test_report_counts_cannot_be_negative(db, field):
    counts = {"people_met": 5, "new_people": 0, field: -1}
    with pytest.raises(IntegrityError):
        f.make_report(f.make_visit(), **counts)


def test_new_people_cannot_exceed_people_met(db):
    with pytest.raises(IntegrityError):
        f.make_report(people_met=3, new_people=4)


def test_a_visit_has_at_most_one_report(db):
    report = f.make_report()
    with pytest.raises(IntegrityError):
        f.make_report(report.visit)


def test_report_validation_names_the_rule_in_danish(db):
    from visits.models import VisitReport

    report = VisitReport(visit=f.make_visit(), people_met=2, new_people=3, volunteer_minutes=0)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "“Heraf nye” kan ikke være større end “mødte mennesker”." in str(error.value)


def test_report_refuses_numbers_beyond_the_sane_maximum(db):
    from visits.models import VisitReport

    report = VisitReport(visit=f.make_visit(), people_met=100000)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "people_met" in error.value.message_dict


def test_visit_must_end_after_it_starts(db):
    with pytest.raises(IntegrityError):
        f.make_visit(start_time=dt.time(12, 0), end_time=dt.time(11, 0))


def test_referral_counts_are_positive_and_unique_per_report(db):
    from visits.models import ReportReferral

    report = f.make_report()
    service = f.make_service_type()
    ReportReferral.objects.create(report=report, service_type=service, count=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ReportReferral.objects.create(report=report, service_type=service, count=1)
    with pytest.raises(IntegrityError):
        ReportReferral.objects.create(report=report, service_type=f.make_service_type(), count=0)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"weekday": 0}, "pattern_weekday_range"),
        ({"weekday": 8}, "pattern_weekday_range"),
        ({"every_n_weeks": 0}, "pattern_every_n_weeks_positive"),
        (
            {"valid_from": dt.date(2026, 5, 1), "valid_until": dt.date(2026, 4, 1)},
            "pattern_valid_range",
        ),
    ],
)
def test_pattern_constraints_hold_in_the_database(db, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        f.make_pattern(**fields)


def test_pattern_clean_refuses_an_overlapping_range_for_the_same_weekday(stop):
    f.make_pattern(
        stop, weekday=2, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 6, 30)
    )
    clash = VisitPattern(
        stop=stop,
        weekday=2,
        start_time=dt.time(14, 0),
        duration_minutes=60,
        valid_from=dt.date(2026, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "valid_from" in error.value.message_dict


def test_pattern_clean_accepts_a_range_that_follows_on(stop):
    f.make_pattern(
        stop, weekday=2, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 6, 30)
    )
    follower = VisitPattern(
        stop=stop,
        weekday=2,
        start_time=dt.time(14, 0),
        duration_minutes=60,
        valid_from=dt.date(2026, 7, 1),
    )
    follower.full_clean()


def test_pattern_must_end_before_midnight(stop):
    late = VisitPattern(
        stop=stop,
        weekday=3,
        start_time=dt.time(23, 0),
        duration_minutes=90,
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        late.full_clean()
    assert "duration_minutes" in error.value.message_dict


def test_pattern_dates_follow_weekday_and_every_n_weeks(db):
    pattern = VisitPattern(
        weekday=3,  # Wednesday
        start_time=dt.time(10, 0),
        every_n_weeks=2,
        anchor_date=dt.date(2026, 11, 23),  # week 48
        valid_from=dt.date(2026, 1, 1),
    )
    dates = list(pattern.dates_between(dt.date(2026, 11, 23), dt.date(2026, 12, 31)))
    assert dates == [dt.date(2026, 11, 25), dt.date(2026, 12, 9), dt.date(2026, 12, 23)]


def test_pattern_dates_stay_in_the_valid_range(db):
    pattern = VisitPattern(
        weekday=1,
        start_time=dt.time(10, 0),
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2026, 12, 21),
    )
    dates = list(pattern.dates_between(dt.date(2026, 11, 1), dt.date(2027, 1, 31)))
    assert dates == [dt.date(2026, 12, 7), dt.date(2026, 12, 14), dt.date(2026, 12, 21)]


def test_fortnightly_pattern_keeps_its_rhythm_across_new_year(db):
    # 2026 has an ISO week 53; the rhythm counts weeks, not week numbers.
    pattern = VisitPattern(
        weekday=4,
        start_time=dt.time(10, 0),
        every_n_weeks=2,
        anchor_date=dt.date(2026, 12, 24),
        valid_from=dt.date(2026, 1, 1),
    )
    dates = list(pattern.dates_between(dt.date(2026, 12, 20), dt.date(2027, 1, 31)))
    assert dates == [dt.date(2026, 12, 24), dt.date(2027, 1, 7), dt.date(2027, 1, 21)]
