"""A declined assignment is a person who is not coming (issue 13's gaps, item 1)."""

import datetime as dt

import pytest

from tests import factories as f
from tests.planning.helpers import next_week, on

T = dt.time
HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))


def test_a_declined_person_does_not_count_towards_the_two_people(
    client, coordinator, centre, visit
):
    f.make_assignment(visit, f.make_volunteer(centre, name="Ole Hansen"), answer="confirmed")
    f.make_assignment(visit, f.make_volunteer(centre, name="Sagde Nej"), answer="declined")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/week/?week={next_week()}").text
    assert "Kun 1 af mindst 2 personer sat på." in text


def test_two_who_have_not_declined_are_enough(client, coordinator, centre, visit):
    f.make_assignment(visit, f.make_volunteer(centre), answer="confirmed")
    f.make_assignment(visit, f.make_volunteer(centre), answer="")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/week/?week={next_week()}").text
    assert "personer sat på." not in text


def test_a_declined_shift_elsewhere_does_not_make_a_volunteer_busy(
    client, coordinator, centre, visit
):
    elsewhere = f.make_visit(
        f.make_stop(centre, community="Karby"), date=on(2), start_time=T(11), end_time=T(13)
    )
    declined = f.make_volunteer(centre, name="Nej Niels", available_weekdays="2")
    coming = f.make_volunteer(centre, name="Travl Tina", available_weekdays="2")
    f.make_assignment(elsewhere, declined, answer="declined")
    f.make_assignment(elsewhere, coming, answer="confirmed")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/", headers=HTMX).text
    free, busy_group = (
        text.index(label) for label in ("Kan normalt om tirsdagen", "Optaget på det tidspunkt")
    )
    assert free < text.index("Nej Niels") < busy_group
    assert "Nej Niels – optaget" not in text
    assert busy_group < text.index("Travl Tina – optaget: Karby 11:00")


def test_a_declined_overlap_is_no_double_booking_warning(client, coordinator, centre, visit):
    elsewhere = f.make_visit(
        f.make_stop(centre, community="Karby"), date=on(2), start_time=T(11), end_time=T(13)
    )
    volunteer = f.make_volunteer(centre, name="Nej Niels")
    f.make_assignment(visit, volunteer)
    f.make_assignment(elsewhere, volunteer, answer="declined")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/week/?week={next_week()}").text
    assert "Karby" in text
    assert "Nej Niels" in text
    assert "Nej Niels er også i" not in text
