"""The Today page: my shifts today and the coming week, as each role meets it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from visits.choices import VisitStatus

from .conftest import TODAY, YESTERDAY


@pytest.fixture
def todays_visit(stop, vera, centre):
    visit = f.make_visit(stop, date=TODAY)
    f.make_assignment(visit, vera, role="host")
    f.make_assignment(visit, f.make_volunteer(centre, name="Anne Chauffør"), role="driver")
    return visit


def test_it_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/today/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_volunteers_are_sent_from_the_front_page_to_today(client, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/today/"


def test_a_volunteer_sees_todays_shift_with_place_time_and_team(
    client, volunteer_user, todays_visit
):
    client.force_login(volunteer_user)
    response = client.get("/today/")
    assert response.status_code == 200
    html = response.text
    assert "Redsted" in html
    assert "10:00–12:00" in html
    assert "Anne Chauffør (chauffør)" in html
    assert "Skriv rapport" in html
    assert "Tjek ind" in html
    assert "Ingen rapport endnu" in html


def test_the_coming_week_is_listed_and_later_is_not(client, volunteer_user, stop, vera):
    soon = f.make_visit(stop, date=TODAY + dt.timedelta(days=7))
    later = f.make_visit(stop, date=TODAY + dt.timedelta(days=8), start_time=dt.time(9, 0))
    for visit in (soon, later):
        f.make_assignment(visit, vera)
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert f'data-visit-id="{soon.pk}"' in html
    assert f'data-visit-id="{later.pk}"' not in html


def test_a_shift_of_last_week_without_report_is_listed_as_missing(client, volunteer_user, visit):
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Mangler stadig en rapport" in html
    assert f'data-visit-id="{visit.pk}"' in html


def test_a_reported_visit_shows_its_state(client, volunteer_user, todays_visit):
    f.make_report(todays_visit, people_met=14, submitted_by=volunteer_user)
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Rapport sendt" in html
    assert "14 mødte" in html
    assert "Ret rapport" in html


def test_a_cancelled_shift_says_cancelled_and_offers_no_report(
    client, volunteer_user, todays_visit
):
    todays_visit.status = VisitStatus.CANCELLED
    todays_visit.cancel_reason = "Glat føre"
    todays_visit.save()
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Aflyst" in html
    assert "Glat føre" in html
    assert "Skriv rapport" not in html
    assert f"/visits/{todays_visit.pk}/report/" not in html


def test_another_centres_visits_never_show(client, volunteer_user, other_stop, vera):
    foreign = f.make_visit(other_stop, date=TODAY)
    # Even a stray assignment to another centre's visit does not show it.
    f.make_assignment(foreign, vera)
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Tarm" not in html


def test_other_cafes_of_my_centre_today_can_be_reported_by_a_stand_in(
    client, volunteer_user, centre
):
    other = f.make_visit(f.make_stop(centre, community="Øster Jølby"), date=TODAY)
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Øster Jølby" in html
    assert f"/visits/{other.pk}/report/" in html


@pytest.mark.parametrize("user_fixture", ["coordinator", "leader", "admin_user"])
def test_people_without_a_volunteer_profile_get_a_clear_page(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/today/")
    assert response.status_code == 200
    assert "Denne side er for frivillige" in response.text


def test_an_inactive_volunteer_gets_the_clear_page(client, volunteer_user, vera):
    vera.active = False
    vera.save()
    client.force_login(volunteer_user)
    assert "Denne side er for frivillige" in client.get("/today/").text


def test_the_number_of_queries_does_not_grow_with_the_shifts(
    client, volunteer_user, stop, vera, centre
):
    """Guards the Today page against N+1: the team, the report and the stop come in bulk."""
    client.force_login(volunteer_user)

    def add_shifts(days):
        for day in days:
            visit = f.make_visit(stop, date=TODAY + dt.timedelta(days=day))
            f.make_assignment(visit, vera)
            f.make_assignment(visit, f.make_volunteer(centre))
            if day <= 0:
                f.make_report(visit, submitted_by=volunteer_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/today/").status_code == 200
        return len(queries)

    add_shifts([0, 1, -1])
    few = count()
    add_shifts([2, 3, 4, 5, -2, -3])
    assert count() == few


def test_the_today_page_weighs_under_150_kb_with_its_css_and_js(
    client, volunteer_user, todays_visit, stop, vera
):
    """HTML + CSS + JS of the Today page, uncompressed, as a cheap phone downloads it."""
    from django.contrib.staticfiles import finders

    for day in range(1, 8):
        visit = f.make_visit(stop, date=TODAY + dt.timedelta(days=day))
        f.make_assignment(visit, vera)
    client.force_login(volunteer_user)
    html = client.get("/today/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    # The scripts' own imports count too.
    seen, total = set(), len(html)
    queue = [a.decode() for a in assets]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        with open(finders.find(path), "rb") as handle:
            content = handle.read()
        total += len(content)
        imports = re.findall(rb'(?:from|import) "\./([\w-]+\.js)"', content)
        queue += [f"js/{name.decode()}" for name in imports]
    expected = {"css/app.css", "css/volunteers.css", "js/volunteer.js", "js/today.js"}
    assert expected | {"js/outbox.js", "js/copy.js", "js/kept.js"} <= seen
    assert total < 150 * 1024, f"{total} bytes"


def test_yesterday_is_not_today(client, volunteer_user, visit):
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Du har ingen vagt i dag." in html
    assert visit.date == YESTERDAY


def test_the_date_is_written_in_danish_lower_case(client, volunteer_user, todays_visit):
    """ "onsdag 2. december", not "Onsdag 2. December"."""
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    weekday = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    month = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august"]
    month += ["september", "oktober", "november", "december"]
    label = f"{weekday[TODAY.weekday()]} {TODAY.day}. {month[TODAY.month - 1]}"
    assert f'<span class="date" id="today-date">{label}</span>' in html


def test_the_card_says_how_to_get_in_and_links_the_map(client, volunteer_user, todays_visit):
    stop = todays_visit.stop
    stop.access_notes = "Nøglen hænger i skuret; strøm ved scenen"
    stop.save()
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert "Adgang: </span>Nøglen hænger i skuret; strøm ved scenen" in html
    assert re.search(r'data-geo="geo:56\.10*,9\.10*\?q=', html)
    assert "openstreetmap.org/directions?to=" in html
