"""The profile's choices, the coordinator's list of failed messages, the not-reachable mark."""

import datetime as dt

import pytest

from notifications.models import Notification, Preference
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def vera_in(client, centre):
    user = f.make_user("vera")
    volunteer = f.make_volunteer(centre, user=user, name="Vera", email="v@example.org", phone="")
    client.force_login(user)
    return volunteer


def test_the_profile_shows_the_choices_with_defaults(client, vera_in):
    page = client.get("/profile/").content.decode()
    assert 'id="notifications"' in page
    assert 'name="remind_day_before_at" value="17:00"' in page
    assert "Vi har intet telefonnummer til dig." in page  # SMS cannot be chosen


def test_the_volunteer_changes_reminders_and_quiet_hours(client, vera_in):
    response = client.post(
        "/profile/notifications/",
        {
            "by_email": "on",
            "remind_day_before_at": "19:30",
            "remind_hours_before": "",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/profile/#notifications"
    pref = Preference.objects.get(volunteer=vera_in)
    assert pref.remind_day_before_at == dt.time(19, 30) and pref.remind_hours_before is None
    assert (pref.quiet_from, pref.quiet_until) == (dt.time(22), dt.time(7))
    assert pref.by_email and not pref.by_sms


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"quiet_from": "22:00"}, "Stille timer skal have både en start og en slutning."),
        ({"remind_day_before_at": "25:00"}, "Indtast en gyldig tid."),
        ({"remind_hours_before": "99"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_choices_are_refused_in_danish_and_nothing_saved(client, vera_in, form, message):
    response = client.post("/profile/notifications/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Preference.objects.exists()


def test_the_coordinator_sees_the_failed_messages_of_their_centre(
    client, coordinator, centre, other_centre
):
    vera = f.make_volunteer(centre, name="Vera")
    Notification.objects.create(
        key="a:sms",
        kind="change",
        channel="sms",
        status="failed",
        volunteer=vera,
        centre=centre,
        subject="Ændret: café i Redsted",
        error="GatewayAPI answered 500",
        attempts=5,
    )
    Notification.objects.create(
        key="b:sms",
        kind="change",
        channel="sms",
        status="failed",
        centre=other_centre,
        subject="Ændret: café i Tarm",
    )
    Notification.objects.create(
        key="c:sms",
        kind="change",
        channel="sms",
        status="sent",
        centre=centre,
        subject="Sendt fint",
    )
    client.force_login(coordinator)
    page = client.get(f"/centres/{centre.pk}/notifications/failed/").content.decode()
    assert "Ændret: café i Redsted" in page and "GatewayAPI answered 500" in page
    assert "Tarm" not in page and "Sendt fint" not in page


def test_the_failed_list_costs_the_same_queries_however_long(
    client, coordinator, centre, django_assert_num_queries
):
    for i in range(5):
        vera = f.make_volunteer(centre, name=f"V{i}")
        Notification.objects.create(
            key=f"k{i}",
            kind="change",
            channel="sms",
            status="failed",
            volunteer=vera,
            centre=centre,
        )
    client.force_login(coordinator)
    # session, user, the user's role (leadership?), the centre (editable_by),
    # the failed messages with their volunteer, user and visit joined
    with django_assert_num_queries(5):
        client.get(f"/centres/{centre.pk}/notifications/failed/")


def test_a_volunteer_without_phone_or_email_is_marked_not_reachable(client, coordinator, centre):
    f.make_volunteer(centre, name="Uden Kontakt", email="", phone="")
    client.force_login(coordinator)
    page = client.get(f"/centres/{centre.pk}/volunteers/").content.decode()
    assert "ikke til at nå: hverken telefon eller e-mail" in page
