"""The calendar feeds and the public stop page: no login, nothing about people."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planning.services import visit_edit
from tests import factories as f
from tests.planning.helpers import on

T = dt.time


@pytest.fixture(autouse=True)
def _site_url(settings):
    """The site's own address, which feeds and posters use (the test client's host)."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def visits(stop, centre, coordinator):
    stop.address = "Skolevej 3, Redsted"
    stop.save()
    planned = f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))
    cancelled = f.make_visit(stop, date=on(4), start_time=T(13), end_time=T(15))
    visit_edit.visit_cancel(visit=cancelled, version=1, reason="Ole er syg", user=coordinator)
    volunteer = f.make_volunteer(centre, name="Ole Hansen")
    f.make_assignment(planned, volunteer, role="driver")
    f.make_assignment(cancelled, volunteer)
    return planned, cancelled, volunteer


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_centre_feed_lists_visits_with_place_and_time(client, centre, visits):
    planned, _cancelled, _volunteer = visits
    calendar = parse(client.get(f"/calendar/centre/{centre.pk}.ics"))
    found = events(calendar)
    event = found[f"visit-{planned.pk}@testserver"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Copenhagen"
    assert start.replace(tzinfo=None) == dt.datetime.combine(on(2), T(10))
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert str(event["LOCATION"]) == f"{planned.stop.venue_name}, Skolevej 3, Redsted"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(client, centre, visits):
    _planned, cancelled, _volunteer = visits
    event = events(parse(client.get(f"/calendar/centre/{centre.pk}.ics")))[
        f"visit-{cancelled.pk}@testserver"
    ]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2


def test_the_public_feed_says_nothing_about_people(client, centre, visits):
    body = client.get(f"/calendar/centre/{centre.pk}.ics").content.decode()
    assert "Ole" not in body


def test_the_uid_is_stable_and_the_sequence_follows_the_version(
    client, centre, visits, coordinator
):
    planned, _cancelled, _volunteer = visits
    uid = f"visit-{planned.pk}@testserver"
    before = events(parse(client.get(f"/calendar/centre/{centre.pk}.ics")))[uid]
    visit_edit.visit_move(
        visit=planned, version=1, date=on(3), start_time=T(9), end_time=T(11), user=coordinator
    )
    after = events(parse(client.get(f"/calendar/centre/{centre.pk}.ics")))[uid]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART").date() == on(3)


def test_the_feed_window_leaves_out_old_and_far_visits(client, centre, stop):
    old = f.make_visit(stop, date=timezone.localdate() - dt.timedelta(weeks=10))
    far = f.make_visit(stop, date=timezone.localdate() + dt.timedelta(weeks=40))
    near = f.make_visit(stop, date=on(1))
    uids = set(events(parse(client.get(f"/calendar/centre/{centre.pk}.ics"))))
    assert f"visit-{near.pk}@testserver" in uids
    assert not {f"visit-{old.pk}@testserver", f"visit-{far.pk}@testserver"} & uids


def test_an_unknown_centre_feed_is_404(client, db):
    assert client.get("/calendar/centre/999.ics").status_code == 404


def test_the_volunteer_feed_holds_only_their_shifts(client, centre, stop, visits):
    planned, cancelled, volunteer = visits
    other = f.make_visit(f.make_stop(centre), date=on(2))
    f.make_assignment(other, f.make_volunteer(centre))
    found = events(parse(client.get(f"/calendar/volunteer/{volunteer.calendar_token}.ics")))
    assert set(found) == {
        f"shift-{planned.pk}-{volunteer.pk}@testserver",
        f"shift-{cancelled.pk}-{volunteer.pk}@testserver",
    }
    assert "Chauffør" in str(found[f"shift-{planned.pk}-{volunteer.pk}@testserver"]["SUMMARY"])
    assert str(found[f"shift-{cancelled.pk}-{volunteer.pk}@testserver"]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("token", ["nope", "x" * 40])
def test_an_unknown_token_is_404(client, visits, token):
    assert client.get(f"/calendar/volunteer/{token}.ics").status_code == 404


def test_an_inactive_volunteers_feed_is_404(client, visits):
    _planned, _cancelled, volunteer = visits
    volunteer.active = False
    volunteer.save()
    assert client.get(f"/calendar/volunteer/{volunteer.calendar_token}.ics").status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_feeds_cost_the_same_queries_for_few_or_many_visits(client, centre, stop, visits):
    """Guards against N+1 queries in the feeds: stops come with the visits."""
    _planned, _cancelled, volunteer = visits
    centre_url, own_url = (
        f"/calendar/centre/{centre.pk}.ics",
        f"/calendar/volunteer/{volunteer.calendar_token}.ics",
    )
    few = _count(client, centre_url), _count(client, own_url)
    for i in range(10):
        visit = f.make_visit(f.make_stop(centre), date=on(1 + i % 5))
        f.make_assignment(visit, volunteer)
    assert (_count(client, centre_url), _count(client, own_url)) == few


def test_the_stop_page_shows_the_next_dates_and_cancellations(client, stop, visits):
    f.make_pattern(stop, weekday=2, valid_from=timezone.localdate() - dt.timedelta(days=30))
    response = client.get(f"/s/{stop.slug}/")
    text = response.text
    assert response.status_code == 200
    assert "Det mobile værested i Redsted" in text and "Skolevej 3, Redsted" in text
    assert "10:00–12:00" in text and "Aflyst" in text
    assert "Hver tirsdag kl. 10:00–12:00" in text
    assert f"/calendar/centre/{stop.centre_id}.ics" in text
    assert "Ole" not in text  # neither the volunteer nor the reason that names him


def test_the_stop_page_shows_four_dates_that_go_ahead(client, stop):
    for week in range(6):
        f.make_visit(stop, date=on(2) + dt.timedelta(weeks=week))
    text = client.get(f"/s/{stop.slug}/").text
    assert text.count('class="date"') == 4


def test_inactive_and_unknown_stops_are_404(client, stop):
    assert client.get("/s/findes-ikke/").status_code == 404
    stop.active = False
    stop.save()
    assert client.get(f"/s/{stop.slug}/").status_code == 404
    assert client.get(f"/s/{stop.slug}/poster/").status_code == 404


def test_the_stop_page_costs_the_same_queries_for_few_or_many_visits(client, stop):
    """Guards against N+1 queries on the public page."""
    f.make_visit(stop, date=on(1))
    few = _count(client, f"/s/{stop.slug}/")
    for week in range(1, 8):
        f.make_visit(stop, date=on(1) + dt.timedelta(weeks=week))
    assert _count(client, f"/s/{stop.slug}/") == few


def test_the_poster_has_a_qr_code_to_the_page(client, stop, visits):
    response = client.get(f"/s/{stop.slug}/poster/")
    text = response.text
    assert response.status_code == 200
    assert (
        "<svg" in text
        and "<path" in text
        and "style=" not in text.split("<svg", 1)[1].split("</svg>")[0]
    )
    assert f"http://testserver/s/{stop.slug}/" in text
    assert "Ole" not in text


def test_the_qr_code_is_sized_by_the_page_not_fixed_in_millimetres(db):
    from public_pages.views import qr_svg

    svg = qr_svg("http://testserver/s/redsted/")
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg
    assert ' width="' not in svg.split(">", 1)[0]


def test_feeds_and_posters_use_the_sites_address_not_the_requests(
    client, settings, stop, centre, visits
):
    """A site reachable under two names hands out one UID per event, and one address."""
    settings.SITE_URL = "https://drivein.example.dk"
    settings.ALLOWED_HOSTS = ["drivein.example.dk", "old-name.example.dk"]
    planned, _cancelled, volunteer = visits
    feeds = {
        host: client.get(f"/calendar/centre/{centre.pk}.ics", HTTP_HOST=host)
        for host in settings.ALLOWED_HOSTS
    }
    uids = [set(events(parse(response))) for response in feeds.values()]
    assert uids[0] == uids[1]
    assert f"visit-{planned.pk}@drivein.example.dk" in uids[0]
    private = client.get(
        f"/calendar/volunteer/{volunteer.calendar_token}.ics", HTTP_HOST="old-name.example.dk"
    )
    assert f"shift-{planned.pk}-{volunteer.pk}@drivein.example.dk" in set(events(parse(private)))
    from public_pages.views import qr_svg

    poster = client.get(f"/s/{stop.slug}/poster/", HTTP_HOST="old-name.example.dk")
    assert poster.context["page_url"] == f"https://drivein.example.dk/s/{stop.slug}/"
    assert qr_svg(f"https://drivein.example.dk/s/{stop.slug}/") in poster.text
    assert "old-name" not in poster.text
    page = client.get(f"/s/{stop.slug}/", HTTP_HOST="old-name.example.dk")
    assert "old-name" not in page.text
