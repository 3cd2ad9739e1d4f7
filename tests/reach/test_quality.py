"""The data-quality page: what it lists, who sees it, and marking a café as checked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reach.models import QualityCheck
from reach.selectors.quality import quality_rows
from reach.selectors.query import ReachQuery
from tests import factories as f

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=3)


def on(date, hour):
    return dt.datetime.combine(date, dt.time(hour), tzinfo=CPH)


def held(stop, *, captured=None, **counts):
    visit = f.make_visit(stop, date=DAY, status="held")
    fields = {"people_met": 10, "new_people": 1, "meals": 9, **counts}
    f.make_report(visit, captured_at=captured or on(DAY, 12), submitted_at=on(DAY, 12), **fields)
    return visit


@pytest.fixture
def cafes(centre, other_stop):
    """One café of each kind at the centre, a fine one, and another centre's zero."""
    stop = f.make_stop(centre, community="Redsted")
    return {
        "fine": held(stop),
        "outlier": held(stop, people_met=120, outliers="people_met"),
        "confirmed": held(stop, people_met=90, outliers="people_met", outliers_confirmed=True),
        "zero": held(stop, people_met=0, new_people=0),
        "many_new": held(stop, people_met=8, new_people=6),
        "late": held(stop, captured=on(DAY + dt.timedelta(days=2), 12)),
        "no_report": f.make_visit(stop, date=DAY, status="held"),
        "no_status": f.make_visit(stop, date=DAY),
        "other_centre": held(other_stop, people_met=0, new_people=0),
    }


def query(**kwargs):
    return ReachQuery.build(start=DAY - dt.timedelta(days=1), end=DAY, **kwargs)


def test_every_kind_of_cafe_to_look_at_is_listed_and_the_fine_one_is_not(cafes):
    issues = {row.visit_id: row.issues for row in quality_rows(query())}
    by_name = {name: issues.get(visit.pk) for name, visit in cafes.items()}
    assert by_name == {
        "fine": None,
        "outlier": ("outlier",),
        "confirmed": ("confirmed",),
        "zero": ("zero",),
        "many_new": ("many_new",),
        "late": ("late",),
        "no_report": ("no_report",),
        "no_status": ("no_status",),
        "other_centre": ("zero",),
    }


def test_a_coordinator_sees_only_their_centres_cafes(client, coordinator, cafes):
    client.force_login(coordinator)
    page = client.get("/reach/quality/", {"from": DAY - dt.timedelta(days=1), "to": DAY})
    assert page.status_code == 200
    shown = {row.visit_id for row in page.context["rows"]}
    assert cafes["zero"].pk in shown
    assert cafes["other_centre"].pk not in shown
    assert "Held, 0 people met" not in page.text  # Danish first
    assert "Holdt, 0 mødte mennesker" in page.text


def test_leadership_sees_every_centre(client, cafes):
    client.force_login(f.make_leader())
    page = client.get("/reach/quality/", {"from": DAY - dt.timedelta(days=1), "to": DAY})
    assert cafes["other_centre"].pk in {row.visit_id for row in page.context["rows"]}


def test_marking_a_cafe_checked_says_who_and_when_and_twice_keeps_the_first(
    client, coordinator, cafes
):
    client.force_login(coordinator)
    url = f"/reach/quality/{cafes['zero'].pk}/check/"
    first = client.post(url, {"next": "/reach/quality/"})
    assert first.status_code == 302
    check = QualityCheck.objects.get(visit=cafes["zero"])
    assert check.checked_by == coordinator
    again = client.post(url, {"next": "/reach/quality/"}, follow=True)
    assert "allerede" in again.text
    assert QualityCheck.objects.get().checked_at == check.checked_at
    page = client.get("/reach/quality/", {"from": DAY - dt.timedelta(days=1), "to": DAY})
    row = next(r for r in page.context["rows"] if r.visit_id == cafes["zero"].pk)
    assert (row.checked, row.checked_by) == (True, coordinator.username)


def test_another_centres_cafe_cannot_be_checked(client, coordinator, cafes):
    client.force_login(coordinator)
    assert client.post(f"/reach/quality/{cafes['other_centre'].pk}/check/").status_code == 404
    assert not QualityCheck.objects.exists()


def test_a_link_elsewhere_is_not_followed(client, coordinator, cafes):
    client.force_login(coordinator)
    answer = client.post(
        f"/reach/quality/{cafes['zero'].pk}/check/", {"next": "https://evil.example/"}
    )
    assert answer.url == "/reach/quality/"
