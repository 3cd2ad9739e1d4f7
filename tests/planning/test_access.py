"""Every planning page tried by each role: who reads, who changes, who gets 404."""

import pytest

from tests import factories as f
from tests.planning.helpers import next_week, on
from visits.models import Visit

READ_PAGES = [
    "/centres/{c}/week/",
    "/centres/{c}/week/?week={week}",
    "/centres/{c}/week/print/",
    "/centres/{c}/roster/",
    "/centres/{c}/route/{day}/",
    "/centres/{c}/visits/{v}/",
    "/centres/{c}/stops/{s}/",
]


@pytest.fixture
def plan(centre, stop):
    visit = f.make_visit(stop, date=on(2))
    return {"c": centre.pk, "v": visit.pk, "s": stop.pk, "week": next_week(), "day": on(2)}


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("coordinator", 200),
        ("admin_user", 200),
        ("leader", 200),
        ("other_coordinator", 404),
        ("volunteer_user", 404),
    ],
)
def test_each_role_on_each_page(client, request, plan, page, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(page.format(**plan)).status_code == status


@pytest.mark.parametrize("page", READ_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, plan, page):
    response = client.get(page.format(**plan))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_user_without_a_role_gets_404(client, plan, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get("/centres/{c}/week/".format(**plan)).status_code == 404


def test_leadership_sees_no_edit_controls(client, leader, plan):
    client.force_login(leader)
    response = client.get("/centres/{c}/week/".format(**plan))
    assert "Generér de kommende uger" not in response.text
    assert "koordinatorer" in response.text
    editor = client.get("/centres/{c}/visits/{v}/".format(**plan))
    assert 'name="version"' not in editor.text


WRITES = [
    ("/centres/{c}/visits/{v}/cancel/", {"version": 1, "reason": "Sne"}),
    (
        "/centres/{c}/visits/{v}/move/",
        {"version": 1, "date": "{day}", "start_time": "11:00", "end_time": "12:00"},
    ),
    ("/centres/{c}/week/generate/", {}),
    ("/centres/{c}/roster/move/", {"stop": "{s}", "direction": "down"}),
    ("/centres/{c}/stops/{s}/active/", {"active": "0"}),
    ("/centres/{c}/route/{day}/", {"order": "{v}:1"}),
]


@pytest.mark.parametrize(("page", "data"), WRITES)
def test_leadership_may_not_change_anything(client, leader, plan, page, data):
    client.force_login(leader)
    data = {k: str(v).format(**plan) for k, v in data.items()}
    response = client.post(page.format(**plan), data)
    assert response.status_code == 403
    assert "Ledelsen kan læse planerne" in response.text
    visit = Visit.objects.get(pk=plan["v"])
    assert (visit.version, visit.status) == (1, "planned")


@pytest.mark.parametrize(("page", "data"), WRITES)
@pytest.mark.parametrize("user_fixture", ["other_coordinator", "volunteer_user"])
def test_outsiders_get_404_for_changes(client, request, plan, page, data, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    data = {k: str(v).format(**plan) for k, v in data.items()}
    assert client.post(page.format(**plan), data).status_code == 404
    assert Visit.objects.get(pk=plan["v"]).version == 1


def test_another_centres_visit_under_my_centre_is_404(client, coordinator, plan, other_stop):
    foreign = f.make_visit(other_stop, date=on(2))
    client.force_login(coordinator)
    url = f"/centres/{plan['c']}/visits/{foreign.pk}/cancel/"
    assert client.post(url, {"version": 1, "reason": "x"}).status_code == 404
    assert client.get(f"/centres/{plan['c']}/visits/{foreign.pk}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "planned"


def test_another_centres_stop_in_the_roster_is_404(client, coordinator, plan, other_stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{plan['c']}/roster/move/", {"stop": other_stop.pk, "direction": "up"}
    )
    assert response.status_code == 404
    assert client.get(f"/centres/{plan['c']}/stops/{other_stop.pk}/").status_code == 404


def test_the_planning_link_takes_a_coordinator_to_their_centre(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.get("/planning/")
    assert response.status_code == 302 and response.url == f"/centres/{centre.pk}/week/"
    assert client.get("/planning/?to=roster").url == f"/centres/{centre.pk}/roster/"


def test_an_administrator_chooses_among_centres(client, admin_user, centre, other_centre):
    client.force_login(admin_user)
    response = client.get("/planning/")
    assert "Nykøbing Mors" in response.text and "Skjern" in response.text


def test_volunteers_have_no_planning_link(client, volunteer_user):
    client.force_login(volunteer_user)
    assert client.get("/planning/").status_code == 404
    assert "/planning/" not in client.get("/").text


def test_the_front_page_links_a_coordinators_week_and_roster(client, coordinator, centre):
    client.force_login(coordinator)
    text = client.get("/").text
    assert f'href="/centres/{centre.pk}/week/"' in text
    assert f'href="/centres/{centre.pk}/roster/"' in text
    assert 'href="/planning/"' in text  # the menu
