"""Logging a home visit (grusvejstur), as a page and through the phone's queue."""

import datetime as dt
import json
import uuid

import pytest

from visits.models import HomeVisit

from .conftest import TODAY, YESTERDAY


def body(centre, **fields):
    return {
        "submission_id": str(uuid.uuid4()),
        "centre": centre.pk,
        "date": YESTERDAY.isoformat(),
        "duration_minutes": 90,
        "note": "Hjælp med e-Boks",
        "referrals": {},
        **fields,
    }


def post_json(client, data):
    return client.post(
        "/home-visits/new/",
        data=json.dumps(data),
        content_type="application/json",
        headers={"accept": "application/json"},
    )


def test_it_asks_anonymous_visitors_to_log_in(client, centre):
    assert client.get("/home-visits/new/").status_code == 302
    assert post_json(client, body(centre)).status_code == 401


def test_the_form_shows_my_centre(client, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get("/home-visits/new/")
    assert response.status_code == 200
    assert "Nykøbing Mors" in response.text
    assert "Ingen navne eller personlige oplysninger" in response.text


def test_the_phone_logs_a_home_visit_once(client, volunteer_user, vera, centre, debt):
    client.force_login(volunteer_user)
    data = body(centre, referrals={str(debt.pk): 1})
    first = post_json(client, data)
    again = post_json(client, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["outcome"] == "duplicate"
    stored = HomeVisit.objects.get()
    assert (stored.duration_minutes, stored.volunteer, stored.submitted_by) == (
        90,
        vera,
        volunteer_user,
    )
    assert list(stored.referrals.values_list("count", flat=True)) == [1]


@pytest.mark.parametrize(
    "change",
    [
        {"duration_minutes": 120},
        {"note": "Andet"},
        {"referrals": {}},
        {"date": (YESTERDAY - dt.timedelta(days=1)).isoformat()},
    ],
)
def test_a_resend_with_other_numbers_answers_409_and_changes_nothing(
    client, volunteer_user, centre, debt, change
):
    client.force_login(volunteer_user)
    data = body(centre, referrals={str(debt.pk): 1})
    assert post_json(client, data).status_code == 201
    again = post_json(client, {**data, **change})
    assert again.status_code == 409
    assert again.json()["detail"] == "Dette hjemmebesøg er allerede gemt med andre tal."
    assert again.json()["home_visit"]["duration_minutes"] == 90
    stored = HomeVisit.objects.get()
    assert (stored.duration_minutes, stored.note, stored.date) == (
        90,
        "Hjælp med e-Boks",
        YESTERDAY,
    )
    assert list(stored.referrals.values_list("count", flat=True)) == [1]


def test_the_phone_sends_referrals_as_the_api_takes_them(client, volunteer_user, centre, debt):
    """The phone's form script sends [{service_type, count}] for home visits too."""
    client.force_login(volunteer_user)
    response = post_json(client, body(centre, referrals=[{"service_type": debt.pk, "count": 2}]))
    assert response.status_code == 201
    stored = HomeVisit.objects.get()
    assert list(stored.referrals.values_list("service_type", "count")) == [(debt.pk, 2)]


def test_a_plain_post_logs_it_and_goes_to_today(client, volunteer_user, centre):
    client.force_login(volunteer_user)
    data = body(centre)
    data.pop("referrals")
    response = client.post("/home-visits/new/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/today/"
    assert "hjemmebesøget er registreret" in response.text.lower()
    assert HomeVisit.objects.count() == 1


def test_a_plain_post_with_a_bad_number_shows_the_marked_fields(client, volunteer_user, centre):
    client.force_login(volunteer_user)
    data = body(centre, duration_minutes="lang")
    data.pop("referrals")
    response = client.post("/home-visits/new/", data)
    assert response.status_code == 400
    assert '<div class="errors" role="alert">' in response.text
    assert "Tjek de markerede felter." in response.text
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date", (TODAY + dt.timedelta(days=1)).isoformat()),
        ("date", "i går"),
        ("duration_minutes", 0),
        ("duration_minutes", 12 * 60 + 1),
        ("duration_minutes", "lang"),
        ("note", "Peter, tlf 12345678"),
        ("submission_id", "x"),
        ("referrals", {"424242": 1}),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(client, volunteer_user, centre, field, value):
    client.force_login(volunteer_user)
    response = post_json(client, body(centre, **{field: value}))
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not HomeVisit.objects.exists()


def test_another_centre_cannot_be_chosen(client, volunteer_user, centre, other_centre):
    client.force_login(volunteer_user)
    response = post_json(client, body(other_centre))
    assert response.status_code == 400
    assert "centre" in response.json()["errors"]
    assert not HomeVisit.objects.exists()


def test_leadership_is_told_they_do_not_log_home_visits(client, leader, centre):
    client.force_login(leader)
    assert client.get("/home-visits/new/").status_code == 403
    assert post_json(client, body(centre)).status_code == 403
    assert not HomeVisit.objects.exists()


def test_a_coordinator_of_another_centre_cannot_log_for_this_one(client, other_coordinator, centre):
    client.force_login(other_coordinator)
    assert post_json(client, body(centre)).status_code == 400
    assert not HomeVisit.objects.exists()


def test_a_coordinator_logs_for_their_centre(client, coordinator, centre):
    client.force_login(coordinator)
    assert post_json(client, body(centre)).status_code == 201
    assert HomeVisit.objects.get().volunteer is None


def test_an_administrator_logs_for_any_centre(client, admin_user, other_centre):
    client.force_login(admin_user)
    assert client.get("/home-visits/new/").status_code == 200
    assert post_json(client, body(other_centre)).status_code == 201


@pytest.mark.parametrize("twin_stored", ["before validating", "after validating"])
def test_the_same_submission_sent_twice_at_once_is_stored_once(
    client, volunteer_user, vera, centre, debt, twin_stored
):
    """
    The phone's queue may send one home visit twice at the same moment: both find
    nothing stored, and the second insert hits the unique submission id. It must
    answer as a duplicate (200, the stored one), not 400 or 500.
    """
    from unittest import mock

    client.force_login(volunteer_user)
    data = body(centre, referrals={str(debt.pk): 1})
    original_full_clean = HomeVisit.full_clean

    def the_twin_request_stores_it_meanwhile(home_visit, *args, **kwargs):
        # Between the existence check and the insert, the twin request (another
        # transaction) stores the same submission.
        if twin_stored == "after validating":
            original_full_clean(home_visit, *args, **kwargs)
        twin = HomeVisit(
            centre=centre,
            date=YESTERDAY,
            duration_minutes=90,
            note=home_visit.note,
            volunteer=vera,
            submission_id=home_visit.submission_id,
            submitted_by=volunteer_user,
        )
        HomeVisit.objects.bulk_create([twin])
        twin.referrals.create(service_type=debt, count=1)
        if twin_stored == "before validating":
            original_full_clean(home_visit, *args, **kwargs)

    with mock.patch.object(
        HomeVisit, "full_clean", autospec=True, side_effect=the_twin_request_stores_it_meanwhile
    ):
        response = post_json(client, data)
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "duplicate"
    stored = HomeVisit.objects.get()
    assert response.json()["id"] == stored.pk
    # The twin's row stands as it was stored; the loser wrote nothing.
    assert list(stored.referrals.values_list("service_type", "count")) == [(debt.pk, 1)]
