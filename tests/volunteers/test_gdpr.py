"""A volunteer's data under the GDPR: their own download, anonymisation, the review list."""

import datetime as dt
import json

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import factories as f
from visits.models import HomeVisit
from volunteers.gdpr import volunteer_anonymise, volunteers_inactive
from volunteers.models import Assignment, Volunteer

URL = "/profile/data.json"


@pytest.fixture
def vera(volunteer_user):
    volunteer = volunteer_user.volunteer
    volunteer.phone = "20 30 40 50"
    volunteer.email = "vera@example.org"
    volunteer.notes = "Kører gerne om tirsdagen"
    volunteer.consent_date = dt.date(2025, 3, 1)
    volunteer.save()
    return volunteer


@pytest.fixture
def shift(vera, stop):
    visit = f.make_visit(stop, date=dt.date(2026, 11, 17))
    return f.make_assignment(visit, vera, confirmed=True)


def test_a_volunteer_downloads_everything_held_about_them(client, volunteer_user, vera, shift):
    HomeVisit.objects.create(
        centre=vera.home_centre, date=dt.date(2026, 11, 18), duration_minutes=40, volunteer=vera
    )
    client.force_login(volunteer_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["volunteer"]["name"] == "Vera Frivillig"
    assert data["volunteer"]["phone"] == "20 30 40 50"
    assert data["volunteer"]["notes"] == "Kører gerne om tirsdagen"
    assert data["account"]["username"] == "vera"
    assert data["assignments"][0]["date"] == "2026-11-17"
    assert data["assignments"][0]["stop"].startswith("Redsted")
    assert data["home_visits"] == [
        {"date": "2026-11-18", "centre": "Nykøbing Mors", "duration_minutes": 40}
    ]
    assert data["record_history"][-1]["phone"] == "20 30 40 50"
    assert vera.calendar_token not in response.text  # a secret, not data about her


def test_the_download_is_only_ever_ones_own(client, volunteer_user, vera, centre):
    f.make_volunteer(centre, name="Someone Else", phone="99 99 99 99")
    client.force_login(volunteer_user)
    assert "Someone Else" not in client.get(URL).text
    assert client.get(URL + "?id=1").json()["volunteer"]["name"] == "Vera Frivillig"


def test_the_download_costs_the_same_with_many_shifts(client, volunteer_user, vera, stop):
    """Guards against a query per shift or home visit in the download."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(volunteer_user)

    def add_shifts(n):
        for _ in range(n):
            f.make_assignment(f.make_visit(stop), vera)
            HomeVisit.objects.create(
                centre=vera.home_centre,
                date=dt.date(2026, 1, 1),
                duration_minutes=5,
                volunteer=vera,
            )

    add_shifts(2)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    add_shifts(5)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_login_without_a_volunteer_record_gets_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(URL).status_code == 404


def test_anonymising_wipes_who_they_were_and_keeps_the_hours(
    vera, shift, admin_user, volunteer_user
):
    Token.objects.create(user=volunteer_user)
    AccessAttempt.objects.create(
        username="vera", ip_address="10.0.0.1", user_agent="x", failures_since_start=1
    )
    old_token = vera.calendar_token

    volunteer_anonymise(volunteer=vera, by=admin_user)

    vera.refresh_from_db()
    assert vera.name == f"Anonymiseret frivillig {vera.pk}"
    assert (vera.phone, vera.email, vera.notes, vera.consent_date) == ("", "", "", None)
    assert vera.user is None
    assert vera.active is False
    assert vera.anonymised_at is not None
    assert vera.calendar_token != old_token
    # Hours and assignments stay, as statistics.
    assert Assignment.objects.get(pk=shift.pk).volunteer == vera
    # The history holds no trace of who she was, and says who anonymised her and why.
    for old in Volunteer.history.filter(id=vera.pk):
        assert "Vera" not in old.name
        assert (old.phone, old.email, old.notes, old.user_id) == ("", "", "", None)
    latest = vera.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "anonymised")
    # The login is closed and nameless.
    volunteer_user.refresh_from_db()
    assert volunteer_user.is_active is False
    assert not volunteer_user.has_usable_password()
    assert volunteer_user.username == f"anonymised-{volunteer_user.pk}"
    assert (volunteer_user.first_name, volunteer_user.email) == ("", "")
    assert not Token.objects.filter(user=volunteer_user).exists()
    assert not AccessAttempt.objects.filter(username="vera").exists()


def test_anonymising_twice_changes_nothing_more(vera, admin_user):
    first = volunteer_anonymise(volunteer=vera, by=admin_user)
    history = vera.history.count()
    second = volunteer_anonymise(volunteer=vera, by=admin_user)
    assert second.anonymised_at == first.anonymised_at
    assert vera.history.count() == history


def test_an_administrator_anonymises_from_the_admin_after_confirming(admin_client, vera):
    changelist = "/admin/volunteers/volunteer/"
    ask = admin_client.post(changelist, {"action": "anonymise", "_selected_action": [vera.pk]})
    assert ask.status_code == 200
    assert "Det kan ikke fortrydes" in ask.text
    assert "Vera Frivillig" in ask.text
    vera.refresh_from_db()
    assert vera.anonymised_at is None  # nothing happens before the confirmation

    done = admin_client.post(
        changelist, {"action": "anonymise", "_selected_action": [vera.pk], "confirm": "yes"}
    )
    assert done.status_code == 302
    vera.refresh_from_db()
    assert vera.anonymised_at is not None
    assert "1 frivillig blev anonymiseret." in admin_client.get(changelist).text


def test_staff_who_are_not_administrators_cannot_anonymise(client, vera, leader):
    from django.contrib.auth.models import Permission

    leader.is_staff = True
    leader.save()
    leader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_volunteer", "change_volunteer"])
    )
    client.force_login(leader)
    client.post(
        "/admin/volunteers/volunteer/",
        {"action": "anonymise", "_selected_action": [vera.pk], "confirm": "yes"},
    )
    vera.refresh_from_db()
    assert vera.anonymised_at is None


def test_the_review_list_holds_volunteers_quiet_for_over_two_years(centre, stop):
    today = dt.date(2026, 11, 23)
    quiet = f.make_volunteer(centre, name="Stille Sigurd")
    Volunteer.objects.filter(pk=quiet.pk).update(
        created_at=timezone.make_aware(dt.datetime(2022, 1, 1))
    )
    f.make_assignment(f.make_visit(stop, date=dt.date(2024, 6, 1)), quiet)
    recent = f.make_volunteer(centre, name="Aktiv Anna")
    Volunteer.objects.filter(pk=recent.pk).update(
        created_at=timezone.make_aware(dt.datetime(2022, 1, 1))
    )
    f.make_assignment(f.make_visit(stop, date=dt.date(2025, 6, 1)), recent)
    f.make_volunteer(centre, name="Ny Nikolaj")  # joined now
    gone = f.make_volunteer(centre, name="Væk")
    Volunteer.objects.filter(pk=gone.pk).update(
        created_at=timezone.make_aware(dt.datetime(2020, 1, 1)), anonymised_at=timezone.now()
    )

    found = list(volunteers_inactive(today=today))
    assert [v.name for v in found] == ["Stille Sigurd"]
    assert found[0].last_activity == dt.date(2024, 6, 1)


def test_the_command_lists_them_for_review(centre, capsys):
    quiet = f.make_volunteer(centre, name="Stille Sigurd")
    Volunteer.objects.filter(pk=quiet.pk).update(
        created_at=timezone.make_aware(dt.datetime(2020, 1, 1))
    )
    call_command("list_inactive_volunteers")
    out = capsys.readouterr().out
    assert "1 frivillige har været inaktive i over to år" in out
    assert "Stille Sigurd" in out
    assert "2020-01-01" in out
    assert "Nykøbing Mors" in out


def test_the_command_says_so_when_nobody_is_inactive(db, capsys):
    call_command("list_inactive_volunteers")
    assert "Ingen frivillige" in capsys.readouterr().out
