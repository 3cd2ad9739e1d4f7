"""POST /api/v1/home-visits/: logged once per submission, only for one's own centres."""

import uuid

import pytest

from tests import factories as f
from tests.api.conftest import YESTERDAY
from visits.models import HomeVisit
from volunteers.models import Volunteer

URL = "/api/v1/home-visits/"


def body(place, **fields) -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "centre": place.pk,
        "date": YESTERDAY.isoformat(),
        "duration_minutes": 60,
        **fields,
    }


def test_a_volunteer_logs_a_home_visit_as_themselves(api, volunteer_user, centre, debt):
    sent = body(centre, note="Kaffe og snak", referrals=[{"service_type": debt.pk, "count": 1}])
    response = api(volunteer_user).post(URL, sent, format="json")
    assert response.status_code == 201, response.json()
    stored = HomeVisit.objects.get()
    assert stored.volunteer == Volunteer.objects.get(user=volunteer_user)
    assert stored.submitted_by == volunteer_user
    assert response.json()["referrals"] == [{"service_type": debt.pk, "count": 1}]


def test_the_same_submission_again_is_stored_once_and_answers_200(api, volunteer_user, centre):
    client = api(volunteer_user)
    sent = body(centre)
    assert client.post(URL, sent, format="json").status_code == 201
    again = client.post(URL, sent, format="json")
    assert again.status_code == 200
    assert HomeVisit.objects.count() == 1


def test_a_resend_with_other_numbers_is_a_409_with_the_stored_one(api, volunteer_user, centre):
    client = api(volunteer_user)
    sent = body(centre, duration_minutes=60)
    assert client.post(URL, sent, format="json").status_code == 201
    again = client.post(URL, {**sent, "duration_minutes": 75}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "Dette hjemmebesøg er allerede gemt med andre tal."
    assert again.json()["home_visit"]["duration_minutes"] == 60
    assert list(HomeVisit.objects.values_list("duration_minutes", flat=True)) == [60]


def test_a_coordinator_names_a_volunteer_of_the_centre(api, coordinator, centre, other_centre):
    own = f.make_volunteer(centre)
    elsewhere = f.make_volunteer(other_centre)
    client = api(coordinator)
    assert client.post(URL, body(centre, volunteer=own.pk), format="json").status_code == 201
    response = client.post(URL, body(centre, volunteer=elsewhere.pk), format="json")
    assert response.status_code == 400
    assert "volunteer" in response.json()
    assert HomeVisit.objects.count() == 1


def test_a_volunteer_cannot_log_for_someone_else(api, volunteer_user, centre):
    someone = f.make_volunteer(centre)
    response = api(volunteer_user).post(URL, body(centre, volunteer=someone.pk), format="json")
    assert response.status_code == 400
    assert not HomeVisit.objects.exists()


def test_another_centre_is_an_unknown_centre(api, coordinator, other_centre):
    response = api(coordinator).post(URL, body(other_centre), format="json")
    assert response.status_code == 400
    assert response.json()["centre"] == ["Ukendt center."]
    assert not HomeVisit.objects.exists()


def test_leadership_reads_but_may_not_log(api, leader, centre):
    response = api(leader).post(URL, body(centre), format="json")
    assert response.status_code == 403
    assert api(leader).get(URL).status_code == 200
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 10**12}, "duration_minutes"),
        ({"date": "yesterday"}, "date"),
        ({"date": "2999-01-01"}, "date"),
        ({"centre": "Skjern"}, "centre"),
        ({"centre": 10**30}, "centre"),
        ({"referrals": [{"service_type": 424242, "count": 1}]}, "referrals"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, volunteer_user, centre, fields, field):
    response = api(volunteer_user).post(URL, body(centre, **fields), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not HomeVisit.objects.exists()


def test_another_centres_home_visit_is_404(api, coordinator, other_centre):
    other = HomeVisit.objects.create(centre=other_centre, date=YESTERDAY, duration_minutes=30)
    assert api(coordinator).get(f"{URL}{other.pk}/").status_code == 404
