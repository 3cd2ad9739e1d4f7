"""
The coordinator sets the team a visit wants and the centre's approval flag
(issue 13's gaps, item 2): the stop form, the pattern form, the visit editor, the roster.
"""

import datetime as dt

import pytest
from django.utils import timezone

from stops.models import CentreSite, Stop
from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit, VisitPattern
from volunteers.places import places_of

T = dt.time
HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}
STOP = {"community": "Redsted", "venue_name": "Hallen", "venue_kind": "other", "coverage": "good"}
BAD_PLACES = ["0", "-1", "21", "13", "to"]


def pattern_data(**extra):
    return {
        "weekday": 3,
        "start_time": "13:30",
        "duration_minutes": 90,
        "every_n_weeks": 1,
        "valid_from": timezone.localdate().isoformat(),
        **extra,
    }


# The stop -------------------------------------------------------------------


def test_the_stop_form_sets_people_wanted_and_no_driver(client, coordinator, centre, stop):
    client.force_login(coordinator)
    page = client.get(f"/centres/{centre.pk}/stops/{stop.pk}/").text
    assert "Ønsket antal personer" in page and "Kræver chauffør" in page
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/", {**STOP, "slug": stop.slug, "places_wanted": 4}
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert (stop.places_wanted, stop.needs_driver) == (4, False)


def test_a_new_stop_gets_its_team_from_the_form(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/new/",
        {**STOP, "community": "Karby", "places_wanted": 3, "needs_driver": "on"},
    )
    assert response.status_code == 302
    new = Stop.objects.get(community="Karby")
    assert (new.places_wanted, new.needs_driver) == (3, True)


@pytest.mark.parametrize("bad", BAD_PLACES)
def test_bad_people_wanted_on_a_stop_is_a_danish_400(client, coordinator, centre, stop, bad):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/",
        {**STOP, "venue_name": "Ændret", "slug": stop.slug, "places_wanted": bad},
    )
    assert response.status_code == 400
    assert any(
        words in response.text
        for words in ("mindst én person", "højst have 12 personer", "som et helt tal")
    )
    stop.refresh_from_db()
    assert stop.places_wanted == 2 and stop.venue_name != "Ændret"


# The pattern ----------------------------------------------------------------


def test_the_pattern_form_overrides_the_stops_team(client, coordinator, centre, stop):
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/"
    assert "Som stoppestedet" in client.get(url).text
    response = client.post(url, pattern_data(places_wanted=3, needs_driver="false"))
    assert response.status_code == 302
    pattern = VisitPattern.objects.get()
    assert (pattern.places_wanted, pattern.needs_driver) == (3, False)
    visit = Visit.objects.filter(pattern=pattern).order_by("date").first()
    place = places_of(visit)
    assert (place.wanted, place.needs_driver) == (3, False)


def test_an_empty_pattern_team_is_as_the_stop(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/",
        pattern_data(places_wanted="", needs_driver=""),
    )
    assert response.status_code == 302
    pattern = VisitPattern.objects.get()
    assert (pattern.places_wanted, pattern.needs_driver) == (None, None)


@pytest.mark.parametrize("bad", BAD_PLACES)
def test_bad_people_wanted_on_a_pattern_is_a_danish_400(client, coordinator, centre, stop, bad):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/", pattern_data(places_wanted=bad)
    )
    assert response.status_code == 400
    assert not VisitPattern.objects.exists() and not Visit.objects.exists()


# One visit ------------------------------------------------------------------


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))


def test_the_visit_editor_overrides_one_visits_team(client, coordinator, centre, visit):
    client.force_login(coordinator)
    editor = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/", headers=HTMX).text
    assert "Holdet" in editor and "Som mønsteret eller stoppestedet" in editor
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/team/",
        {"version": visit.version, "places_wanted": 5, "needs_driver": "false"},
        headers=HTMX,
    )
    assert response.status_code == 200 and "Besøgets hold er gemt." in response.text
    visit.refresh_from_db()
    assert (visit.places_wanted, visit.needs_driver, visit.version) == (5, False, 2)
    place = places_of(visit)
    assert (place.wanted, place.needs_driver) == (5, False)


def test_clearing_a_visits_team_returns_it_to_the_stops(client, coordinator, centre, visit):
    Visit.objects.filter(pk=visit.pk).update(places_wanted=5, needs_driver=False)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/team/",
        {"version": 1, "places_wanted": "", "needs_driver": ""},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.places_wanted, visit.needs_driver) == (None, None)


@pytest.mark.parametrize("bad", BAD_PLACES)
def test_bad_people_wanted_on_a_visit_is_a_danish_400(client, coordinator, centre, visit, bad):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/team/",
        {"version": 1, "places_wanted": bad, "needs_driver": "false"},
        headers=HTMX,
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert (visit.places_wanted, visit.needs_driver, visit.version) == (None, None, 1)


def test_a_stale_visit_team_form_is_a_409_and_writes_nothing(client, coordinator, centre, visit):
    Visit.objects.filter(pk=visit.pk).update(version=2)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/team/",
        {"version": 1, "places_wanted": 4},
        headers=HTMX,
    )
    assert response.status_code == 409
    visit.refresh_from_db()
    assert visit.places_wanted is None


# The centre's approval flag ---------------------------------------------------


def test_the_roster_switches_approval_on_and_off(client, coordinator, centre):
    client.force_login(coordinator)
    assert "Når en frivillig tager en ledig plads, skal jeg godkende det" in (
        client.get(f"/centres/{centre.pk}/roster/").text
    )
    url = f"/centres/{centre.pk}/roster/approval/"
    response = client.post(url, {"places_need_approval": "on"}, follow=True)
    assert "venter det nu på dig" in response.text
    assert CentreSite.objects.get(pk=centre.pk).places_need_approval is True
    client.post(url, {})
    assert CentreSite.objects.get(pk=centre.pk).places_need_approval is False


def test_another_centres_approval_flag_is_not_the_coordinators(client, coordinator, other_centre):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{other_centre.pk}/roster/approval/", {"places_need_approval": "on"}
    )
    assert response.status_code in (403, 404)
    assert CentreSite.objects.get(pk=other_centre.pk).places_need_approval is False
