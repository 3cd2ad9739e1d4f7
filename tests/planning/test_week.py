"""The week page and the visit editor, as a coordinator uses them (htmx and plain forms)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.weeks import IsoWeek
from tests import factories as f
from tests.planning.helpers import next_week, on
from visits.models import Visit
from volunteers.models import Assignment

T = dt.time
HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))


def week_url(centre, week=None):
    return f"/centres/{centre.pk}/week/?week={week or next_week()}"


def test_the_week_shows_each_visit_with_stop_time_and_people(client, coordinator, centre, visit):
    volunteer = f.make_volunteer(centre, name="Ole Hansen")
    f.make_assignment(visit, volunteer, role="driver")
    client.force_login(coordinator)
    response = client.get(week_url(centre))
    assert response.status_code == 200
    text = response.text
    assert "Redsted" in text and "10:00–12:00" in text and "Ole Hansen" in text
    assert "Chauffør" in text
    assert f"Uge {next_week().week}" in text
    assert "Kun 1 af mindst 2 personer sat på." in text


def test_previous_and_next_week_links(client, coordinator, centre):
    client.force_login(coordinator)
    week = next_week()
    text = client.get(week_url(centre, week)).text
    assert f"?week={week.previous}" in text and f"?week={week.next}" in text


@pytest.mark.parametrize("bad", ["2026-W60", "banana", "1999-W01", "2026W48"])
def test_a_malformed_week_is_a_clear_400(client, coordinator, centre, bad):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/week/?week={bad}")
    assert response.status_code == 400
    assert "uge" in response.text.lower() or "år" in response.text.lower()


def test_the_grid_alone_is_sent_to_htmx(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = client.get(
        week_url(centre), headers={"HX-Request": "true", "HX-Target": "week-grid"}
    )
    assert response.text.lstrip().startswith('<div id="week-grid"')
    assert "<html" not in response.text


def test_the_editor_opens_as_a_fragment_for_htmx(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'name="version" value="1"' in response.text


def move(client, centre, visit, version=1, **data):
    payload = {
        "version": version,
        "date": on(2).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "week": str(next_week()),
        **data,
    }
    return client.post(f"/centres/{centre.pk}/visits/{visit.pk}/move/", payload, headers=HTMX)


def test_moving_onto_a_volunteers_other_shift_saves_and_warns(
    client, coordinator, centre, stop, visit
):
    other = f.make_visit(f.make_stop(centre), date=on(3), start_time=T(10), end_time=T(12))
    anna = f.make_volunteer(centre, name="Anna Berg")
    f.make_assignment(visit, anna)
    f.make_assignment(other, anna)
    client.force_login(coordinator)
    response = move(client, centre, visit, date=on(3).isoformat())
    assert response.status_code == 200
    assert "Besøget er flyttet." in response.text
    assert "Anna Berg er også i" in response.text
    assert 'hx-swap-oob="true"' in response.text  # the grid follows
    visit.refresh_from_db()
    assert (visit.date, visit.version, visit.is_edited) == (on(3), 2, True)


def test_a_second_coordinator_with_an_old_form_gets_409_and_the_current_state(
    client, coordinator, centre, visit
):
    client.force_login(coordinator)
    assert move(client, centre, visit, start_time="13:00", end_time="15:00").status_code == 200
    response = move(client, centre, visit, version=1, start_time="08:00", end_time="09:00")
    assert response.status_code == 409
    assert "En anden har ændret besøget" in response.text
    assert "13:00–15:00" in response.text
    assert 'name="version" value="2"' in response.text
    visit.refresh_from_db()
    assert visit.start_time == T(13)


def test_a_plain_form_post_redirects_back_to_the_week(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/cancel/",
        {"version": 1, "reason": "Sne", "week": str(next_week())},
    )
    assert response.status_code == 302
    assert response.url == week_url(centre)
    page = client.get(response.url)
    assert "Besøget er aflyst." in page.text and "Sne" in page.text


def test_moving_into_the_past_is_a_400_and_writes_nothing(client, coordinator, centre, visit):
    client.force_login(coordinator)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = move(client, centre, visit, date=yesterday.isoformat())
    assert response.status_code == 400
    assert "bagud i tid" in response.text
    visit.refresh_from_db()
    assert visit.version == 1


@pytest.mark.parametrize(
    "data",
    [{"date": "2026-02-30"}, {"start_time": "25:00"}, {"version": "abc"}, {"date": "3026-01-01"}],
)
def test_bad_move_input_is_a_400(client, coordinator, centre, visit, data):
    client.force_login(coordinator)
    assert move(client, centre, visit, **data).status_code == 400
    visit.refresh_from_db()
    assert visit.version == 1


def test_cancel_and_restore_from_the_editor(client, coordinator, centre, visit):
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/visits/{visit.pk}/"
    response = client.post(url + "cancel/", {"version": 1, "reason": "Vejret"}, headers=HTMX)
    assert "Besøget er aflyst." in response.text and "Genopret besøget" in response.text
    response = client.post(url + "restore/", {"version": 2}, headers=HTMX)
    assert "Besøget er planlagt igen." in response.text
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_cancelling_without_a_reason_is_refused(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/cancel/",
        {"version": 1, "reason": ""},
        headers=HTMX,
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_the_picker_shows_who_is_free_and_who_is_busy(
    client, coordinator, centre, visit, other_centre
):
    f.make_volunteer(centre, name="Fri Frida", available_weekdays="2")
    f.make_volunteer(centre, name="Mandag Mads", available_weekdays="1")
    busy = f.make_volunteer(centre, name="Travl Tina", available_weekdays="2")
    f.make_assignment(
        f.make_visit(
            f.make_stop(centre, community="Karby"), date=on(2), start_time=T(11), end_time=T(13)
        ),
        busy,
    )
    f.make_volunteer(centre, name="Gammel Gert", active=False)
    f.make_volunteer(other_centre, name="Fremmed Frede")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/", headers=HTMX).text
    free, busy_group, unusual = (
        text.index(label)
        for label in (
            "Kan normalt om tirsdagen",
            "Optaget på det tidspunkt",
            "Kan normalt ikke om tirsdagen",
        )
    )
    assert (
        free
        < text.index("Fri Frida")
        < busy_group
        < text.index("Travl Tina – optaget: Karby 11:00")
        < unusual
        < text.index("Mandag Mads")
    )
    assert "Gammel Gert" not in text and "Fremmed Frede" not in text


def test_assigning_a_volunteer_from_another_centre_is_a_400(
    client, coordinator, centre, visit, other_centre
):
    stranger = f.make_volunteer(other_centre)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/people/",
        {"version": 1, "volunteer": stranger.pk, "role": "host"},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_assign_and_remove_through_the_editor(client, coordinator, centre, visit):
    volunteer = f.make_volunteer(centre, name="Ole Hansen")
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/visits/{visit.pk}/people/"
    response = client.post(
        url, {"version": 1, "volunteer": volunteer.pk, "role": "driver"}, headers=HTMX
    )
    assert response.status_code == 200 and "Ole Hansen er sat på." in response.text
    assignment = Assignment.objects.get()
    response = client.post(f"{url}{assignment.pk}/remove/", {"version": 2}, headers=HTMX)
    assert "Ole Hansen er taget af besøget." in response.text
    assert not Assignment.objects.exists()


def test_an_ad_hoc_visit_is_added_from_the_week(client, coordinator, centre, stop):
    client.force_login(coordinator)
    form = client.get(f"/centres/{centre.pk}/visits/new/?date={on(4).isoformat()}", headers=HTMX)
    assert form.status_code == 200 and "Redsted" in form.text
    response = client.post(
        f"/centres/{centre.pk}/visits/new/",
        {"stop": stop.pk, "date": on(4).isoformat(), "start_time": "09:00", "end_time": "10:30"},
        headers=HTMX,
    )
    assert response.status_code == 200 and "Besøget er tilføjet." in response.text
    visit = Visit.objects.get()
    assert visit.is_ad_hoc and visit.date == on(4)


def test_an_ad_hoc_visit_at_another_centres_stop_is_a_400(client, coordinator, centre, other_stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/new/",
        {
            "stop": other_stop.pk,
            "date": on(4).isoformat(),
            "start_time": "09:00",
            "end_time": "10:30",
        },
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_generate_plans_the_coming_weeks_and_says_how_many(client, coordinator, centre, stop):
    f.make_pattern(stop, valid_from=timezone.localdate())
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/week/generate/", {"week": str(next_week())}, follow=True
    )
    made = Visit.objects.count()
    assert made >= 8
    assert f"{made} besøg er planlagt ud fra mønstrene" in response.text
    response = client.post(f"/centres/{centre.pk}/week/generate/", follow=True)
    assert "Intet nyt" in response.text and Visit.objects.count() == made


def test_a_post_without_csrf_is_refused(coordinator, centre, visit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/cancel/", {"version": 1, "reason": "x"}
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_the_printable_week_is_one_landscape_page(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/week/print/?week={next_week()}")
    assert response.status_code == 200 and "Redsted" in response.text
    from django.contrib.staticfiles import finders

    with open(finders.find("css/planning.css")) as stylesheet:
        css = stylesheet.read()
    assert "size: A4 landscape" in css


def _week_queries(client, centre):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(week_url(centre)).status_code == 200
    return len(queries)


def _fill_week(centre, stops, volunteers):
    people = [f.make_volunteer(centre) for _ in range(volunteers)]
    for i in range(stops):
        visit = f.make_visit(
            f.make_stop(centre), date=on(1 + i % 5), start_time=T(8 + i % 8), end_time=T(9 + i % 8)
        )
        for volunteer in people[:3]:
            f.make_assignment(visit, volunteer)


def test_the_week_costs_the_same_queries_for_few_or_many_visits(client, coordinator, centre):
    """Guards against N+1 queries on the week grid: stops, people, reports come in bulk."""
    client.force_login(coordinator)
    _fill_week(centre, stops=2, volunteers=3)
    few = _week_queries(client, centre)
    _fill_week(centre, stops=12, volunteers=10)
    assert _week_queries(client, centre) == few


def test_the_editor_costs_the_same_queries_for_few_or_many_volunteers(
    client, coordinator, centre, visit
):
    """Guards against N+1 queries in the volunteer picker."""
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/visits/{visit.pk}/"
    f.make_volunteer(centre)
    with CaptureQueriesContext(connection) as few:
        client.get(url, headers=HTMX)
    for _ in range(15):
        f.make_assignment(f.make_visit(f.make_stop(centre), date=on(2)), f.make_volunteer(centre))
    with CaptureQueriesContext(connection) as many:
        client.get(url, headers=HTMX)
    assert len(many) == len(few)


# A past café nobody marked held -------------------------------------------------


@pytest.fixture
def past_visit(stop):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return f.make_visit(stop, date=yesterday, start_time=T(10), end_time=T(12))


def test_a_past_visit_without_status_can_be_marked_held(client, coordinator, centre, past_visit):
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/visits/{past_visit.pk}/"
    editor = client.get(url, headers=HTMX)
    assert "Marker som afholdt" in editor.text
    assert f'href="/visits/{past_visit.pk}/report/"' in editor.text  # Skriv rapport
    response = client.post(url + "held/", {"version": 1}, headers=HTMX)
    assert response.status_code == 200
    assert "Besøget er markeret som afholdt." in response.text
    assert "Marker som afholdt" not in response.text  # done: only the report is left
    assert "Skriv rapport" in response.text
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.version) == ("held", 2)


def test_marking_held_with_an_old_form_is_a_409_and_writes_nothing(
    client, coordinator, centre, past_visit
):
    client.force_login(coordinator)
    Visit.objects.filter(pk=past_visit.pk).update(version=2)  # someone else saved first
    response = client.post(
        f"/centres/{centre.pk}/visits/{past_visit.pk}/held/", {"version": 1}, headers=HTMX
    )
    assert response.status_code == 409
    past_visit.refresh_from_db()
    assert past_visit.status == "planned"


def test_a_coming_or_cancelled_visit_cannot_be_marked_held(client, coordinator, centre, visit):
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/visits/{visit.pk}/"
    assert "Marker som afholdt" not in client.get(url, headers=HTMX).text
    response = client.post(url + "held/", {"version": 1}, headers=HTMX)
    assert response.status_code == 400
    assert "ikke begyndt endnu" in response.text
    Visit.objects.filter(pk=visit.pk).update(status="cancelled", date=on(2) - dt.timedelta(14))
    response = client.post(url + "held/", {"version": 1}, headers=HTMX)
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == "cancelled"


def test_the_week_links_a_missing_report_to_the_report_page(
    client, coordinator, centre, past_visit
):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/week/?week={IsoWeek.of(past_visit.date)}")
    assert "Rapport mangler" in response.text
    assert f'href="/visits/{past_visit.pk}/report/">Skriv rapport</a>' in response.text


def test_leadership_sees_no_mark_held_or_write_report(client, leader, centre, past_visit):
    client.force_login(leader)
    editor = client.get(f"/centres/{centre.pk}/visits/{past_visit.pk}/", headers=HTMX)
    assert editor.status_code == 200
    assert "Marker som afholdt" not in editor.text and "Skriv rapport" not in editor.text


def test_leadership_follows_the_editor_to_the_report_and_reads_it(
    client, leader, centre, past_visit
):
    past_visit.status = "held"
    past_visit.save()
    f.make_report(past_visit, people_met=17)
    client.force_login(leader)
    editor = client.get(f"/centres/{centre.pk}/visits/{past_visit.pk}/", headers=HTMX)
    assert f'href="/visits/{past_visit.pk}/report/">Læs rapporten</a>' in editor.text
    report = client.get(f"/visits/{past_visit.pk}/report/")
    assert report.status_code == 200
    main = report.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "17" in main and "<form" not in main
