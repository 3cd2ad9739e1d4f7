"""Christmas Eve, New Year's Eve and Constitution Day: no public holidays, but warned of."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from planning.conflicts import Kind, Slot, special_days
from tests import factories as f
from visits.holidays import holiday_name, special_day_name


def slot(visit_id, day, **kw):
    return Slot(visit_id, 1, "Redsted", day, dt.time(10), dt.time(12), **kw)


def test_the_three_special_days_are_no_public_holidays_but_have_their_names():
    for day, name in (
        (dt.date(2026, 12, 24), "Juleaftensdag"),
        (dt.date(2026, 12, 31), "Nytårsaftensdag"),
        (dt.date(2027, 6, 5), "Grundlovsdag"),
    ):
        assert (holiday_name(day), special_day_name(day)) == ("", name)
    assert special_day_name(dt.date(2026, 12, 23)) == ""


def test_a_visit_on_a_special_day_gets_its_own_warning_unless_cancelled():
    christmas_eve = dt.date(2026, 12, 24)
    warnings = special_days(
        [
            slot(1, christmas_eve, special_day="Juleaftensdag"),
            slot(2, christmas_eve, special_day="Juleaftensdag", cancelled=True),
            slot(3, dt.date(2026, 12, 23)),
        ]
    )
    assert [(w.visit_id, w.kind) for w in warnings] == [(1, Kind.SPECIAL_DAY)]
    assert "Juleaftensdag" in warnings[0].message


@override_settings(SPECIAL_DAYS={"11-11": "Mortensaften"})
def test_the_special_days_are_a_setting():
    assert special_day_name(dt.date(2026, 12, 24)) == ""
    assert special_day_name(dt.date(2026, 11, 11)) == "Mortensaften"


@pytest.mark.django_db
def test_the_week_page_warns_of_a_cafe_on_christmas_eve(client, coordinator, stop, centre):
    f.make_visit(stop, date=dt.date(2026, 12, 24))
    client.force_login(coordinator)
    page = client.get(f"/centres/{centre.pk}/week/", {"week": "2026-W52"})
    assert "Juleaftensdag: de fleste caféer holder lukket. Har denne åbent?" in page.text
