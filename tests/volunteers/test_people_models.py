"""Absences, qualifications and the attendance mark: the model rules lists rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_assignment, make_visit, make_volunteer
from volunteers.choices import AbsenceCategory, Attendance, QualificationKind
from volunteers.models import Absence, Assignment, Qualification, Volunteer

DAY = dt.date(2026, 7, 20)


@pytest.fixture
def anna(centre):
    return make_volunteer(centre, name="Anna", is_driver=True)


@pytest.fixture
def bo(centre):
    return make_volunteer(centre, name="Bo", is_driver=True)


def test_an_absence_that_ends_before_it_starts_is_refused_by_the_database(anna):
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(volunteer=anna, starts_on=DAY, ends_on=DAY - dt.timedelta(days=1))
    assert not Absence.objects.exists()


def test_a_one_day_absence_covers_that_day_only(anna, bo):
    Absence.objects.create(
        volunteer=anna, starts_on=DAY, ends_on=DAY, category=AbsenceCategory.ILLNESS
    )
    assert list(Volunteer.objects.away_on(DAY)) == [anna]
    assert list(Volunteer.objects.not_away_on(DAY)) == [bo]
    assert anna.is_away_on(DAY)
    assert not anna.is_away_on(DAY + dt.timedelta(days=1))
    assert not anna.is_away_on(DAY - dt.timedelta(days=1))
    assert not bo.is_away_on(DAY)


def test_both_ends_of_an_absence_are_inclusive(anna):
    Absence.objects.create(volunteer=anna, starts_on=DAY, ends_on=DAY + dt.timedelta(days=13))
    for offset in (0, 6, 13):
        assert list(Volunteer.objects.away_on(DAY + dt.timedelta(days=offset))) == [anna]
    assert not Volunteer.objects.away_on(DAY + dt.timedelta(days=14)).exists()


def test_two_absences_covering_a_day_list_the_volunteer_once(anna):
    Absence.objects.create(volunteer=anna, starts_on=DAY, ends_on=DAY)
    Absence.objects.create(volunteer=anna, starts_on=DAY - dt.timedelta(days=1), ends_on=DAY)
    assert list(Volunteer.objects.away_on(DAY)) == [anna]


def test_a_licence_without_expiry_is_valid_and_an_expired_one_is_not(anna, bo, centre):
    carl = make_volunteer(centre, name="Carl", is_driver=True)
    Qualification.objects.create(volunteer=anna, kind=QualificationKind.DRIVING_LICENCE)
    Qualification.objects.create(
        volunteer=bo, kind=QualificationKind.DRIVING_LICENCE, valid_until=DAY - dt.timedelta(days=1)
    )
    # A food hygiene course is not a licence, however valid.
    Qualification.objects.create(volunteer=carl, kind=QualificationKind.FOOD_HYGIENE)
    assert list(Volunteer.objects.with_valid_licence(DAY)) == [anna]
    assert anna.holds_valid_licence(DAY)
    assert not bo.holds_valid_licence(DAY)
    assert bo.holds_valid_licence(DAY - dt.timedelta(days=1))  # valid through its last day
    assert not carl.holds_valid_licence(DAY)


def test_a_volunteer_holds_each_kind_once(anna):
    Qualification.objects.create(
        volunteer=anna, kind=QualificationKind.CRIMINAL_RECORD, issued_on=DAY
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(volunteer=anna, kind=QualificationKind.CRIMINAL_RECORD)


def test_absences_and_qualifications_keep_history(anna):
    absence = Absence.objects.create(volunteer=anna, starts_on=DAY, ends_on=DAY)
    absence.category = AbsenceCategory.OTHER
    absence.save()
    licence = Qualification.objects.create(volunteer=anna, kind=QualificationKind.DRIVING_LICENCE)
    licence_id = licence.id
    licence.delete()
    assert [h.history_type for h in absence.history.order_by("history_id")] == ["+", "~"]
    assert [h.history_type for h in Qualification.history.filter(id=licence_id)] == ["-", "+"]


def test_an_assignment_starts_with_unknown_attendance(anna):
    assignment = make_assignment(make_visit(), anna)
    assert assignment.attendance == Attendance.UNKNOWN
    assert Assignment.objects.get().attendance_set_by is None
