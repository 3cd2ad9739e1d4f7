"""The volunteer's own profile, private calendar link and data download."""

import json
import re

import pytest

from tests import factories as f
from volunteers.models import Volunteer


def test_it_asks_anonymous_visitors_to_log_in(client, db):
    assert client.get("/profile/").status_code == 302


def test_a_volunteer_sees_their_details_and_calendar_link(client, volunteer_user, vera):
    vera.phone, vera.is_driver = "+45 12 34 56 78", True
    vera.save()
    client.force_login(volunteer_user)
    response = client.get("/profile/")
    assert response.status_code == 200
    assert "Vera Frivillig" in response.text
    assert "Nykøbing Mors" in response.text
    assert "+45 12 34 56 78" in response.text
    assert "chauffør, vært" in response.text
    assert f"http://testserver/calendar/volunteer/{vera.calendar_token}.ics" in response.text


def test_a_new_calendar_link_stops_the_old_one(client, volunteer_user, vera):
    old = vera.calendar_token
    client.force_login(volunteer_user)
    response = client.post("/profile/calendar-link/", follow=True)
    vera.refresh_from_db()
    assert vera.calendar_token != old
    assert old not in response.text
    assert vera.calendar_token in response.text
    assert "gamle virker ikke længere" in response.text


def test_the_token_reset_needs_a_post(client, volunteer_user, vera):
    old = vera.calendar_token
    client.force_login(volunteer_user)
    assert client.get("/profile/calendar-link/").status_code == 405
    assert Volunteer.objects.get().calendar_token == old


@pytest.mark.parametrize("user_fixture", ["coordinator", "leader", "admin_user"])
def test_people_without_a_volunteer_profile_get_a_clear_page(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert "Denne side er for frivillige" in client.get("/profile/").text
    assert client.post("/profile/calendar-link/").status_code == 404


def test_the_profile_link_serves_the_feed_and_the_old_link_dies_after_a_reset(
    client, volunteer_user, vera
):
    client.force_login(volunteer_user)
    old_path = f"/calendar/volunteer/{vera.calendar_token}.ics"
    response = client.get(old_path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    client.post("/profile/calendar-link/")
    vera.refresh_from_db()
    assert client.get(old_path).status_code == 404
    assert client.get(f"/calendar/volunteer/{vera.calendar_token}.ics").status_code == 200


def test_the_profile_links_the_download_of_the_volunteers_own_data(client, volunteer_user, vera):
    f.make_volunteer(vera.home_centre, user=f.make_user("otto"), name="Otto Anden")
    client.force_login(volunteer_user)
    page = client.get("/profile/")
    link = re.search(r'<a class="button" href="([^"]+)" download>Hent dine oplysninger<', page.text)
    assert link is not None
    assert "Alt, hvad Drive-in gemmer om dig" in page.text
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["volunteer"]["name"] == "Vera Frivillig"
    assert data["account"]["username"] == "vera"
    assert "Otto" not in response.text
