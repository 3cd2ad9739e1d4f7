"""The shifts pages: what a volunteer and a coordinator see and can do."""

import datetime as dt

import pytest
from django.urls import reverse

from shifts.choices import OfferState
from shifts.models import HandOver, Offer
from shifts.services import assignment_answer
from tests import factories as f
from tests.shifts.conftest import NEXT_WEEK
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db


def test_my_shifts_lists_my_coming_shift_with_the_answer_buttons(client, volunteer_user, vera_on):
    client.force_login(volunteer_user)
    page = client.get(reverse("shifts:mine")).content.decode()
    assert "Redsted" in page
    assert "Jeg kommer" in page and "Jeg kan ikke" in page


def test_today_shows_the_answer_buttons_on_a_coming_shift(client, volunteer_user, stop, vera):
    f.make_assignment(f.make_visit(stop, date=dt.date.today() + dt.timedelta(days=2)), vera)
    client.force_login(volunteer_user)
    assert "Jeg kan ikke" in client.get(reverse("today")).content.decode()


def test_declining_on_the_page_frees_the_place(client, volunteer_user, vera_on):
    client.force_login(volunteer_user)
    response = client.post(
        reverse("shifts:answer", args=[vera_on.pk]),
        {"answer": "declined", "reason": "ill", "note": ""},
    )
    assert response.status_code == 302
    vera_on.refresh_from_db()
    assert vera_on.answer == "declined"


def test_a_decline_note_with_a_phone_number_is_refused_in_danish(client, volunteer_user, vera_on):
    client.force_login(volunteer_user)
    response = client.post(
        reverse("shifts:answer", args=[vera_on.pk]),
        {"answer": "declined", "note": "ring 12345678"},
        follow=True,
    )
    assert "telefonnumre" in response.content.decode()
    vera_on.refresh_from_db()
    assert vera_on.answer == ""


def test_someone_elses_shift_is_404(client, hans, vera_on):
    client.force_login(hans.user)
    assert (
        client.post(reverse("shifts:answer", args=[vera_on.pk]), {"answer": "declined"}).status_code
        == 404
    )


def test_the_open_places_page_offers_a_one_tap_take(client, volunteer_user, visit, vera):
    client.force_login(volunteer_user)
    page = client.get(reverse("shifts:open")).content.decode()
    assert reverse("shifts:take", args=[visit.pk]) in page
    assert "Tag den som vært" in page
    response = client.post(reverse("shifts:take", args=[visit.pk]), {"role": "host"})
    assert response.status_code == 302
    assert Assignment.objects.get(visit=visit).volunteer == vera


def test_a_place_of_another_centre_is_404(client, volunteer_user, other_stop):
    other_visit = f.make_visit(other_stop, date=NEXT_WEEK)
    client.force_login(volunteer_user)
    response = client.post(reverse("shifts:take", args=[other_visit.pk]), {"role": "host"})
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_the_open_places_list_has_an_exact_query_budget(
    client, volunteer_user, stop, django_assert_num_queries
):
    for day in range(1, 6):
        f.make_visit(stop, date=dt.date.today() + dt.timedelta(days=day))
    client.force_login(volunteer_user)
    client.get(reverse("shifts:open"))  # warm the session
    # session, user, volunteer (volunteer_of), role (nav), visits with places counted,
    # my licence, my shifts in the period, my pending requests
    with django_assert_num_queries(8):
        page = client.get(reverse("shifts:open"))
    assert page.content.decode().count("take-form") == 5


def test_my_shifts_has_an_exact_query_budget(
    client, volunteer_user, stop, vera, django_assert_num_queries
):
    for day in range(1, 6):
        f.make_assignment(f.make_visit(stop, date=dt.date.today() + dt.timedelta(days=day)), vera)
    client.force_login(volunteer_user)
    client.get(reverse("shifts:mine"))
    # session, user, volunteer, role (nav), my shifts, their pending hand-overs,
    # offers for me, hand-overs to me, my pending requests, my colleagues
    with django_assert_num_queries(10):
        page = client.get(reverse("shifts:mine"))
    assert page.content.decode().count('class="visit card shift"') == 5


def test_the_offer_page_takes_the_place_and_a_late_second_tap_is_409(
    client, vera_on, dan_on, hans, centre
):
    ida = f.make_volunteer(
        centre, user=f.make_user("ida"), name="Ida", available_weekdays="1234567"
    )
    assignment_answer(assignment=vera_on, volunteer=vera_on.volunteer, answer="declined")
    hans_offer = Offer.objects.get(volunteer=hans)
    ida_offer = Offer.objects.get(volunteer=ida)
    client.force_login(hans.user)
    assert (
        "Jeg tager den"
        in client.get(reverse("shifts:offer", args=[hans_offer.pk])).content.decode()
    )
    assert client.post(reverse("shifts:offer", args=[hans_offer.pk])).status_code == 302
    client.force_login(ida.user)
    late = client.post(reverse("shifts:offer", args=[ida_offer.pk]))
    assert late.status_code == 409
    assert "En anden har taget denne plads" in late.content.decode()
    ida_offer.refresh_from_db()
    assert ida_offer.state == OfferState.TAKEN


def test_a_hand_over_is_asked_and_accepted_on_the_pages(client, vera_on, vera, hans):
    client.force_login(vera.user)
    client.post(reverse("shifts:hand_over", args=[vera_on.pk]), {"to_volunteer": hans.pk})
    hand_over = HandOver.objects.get()
    client.force_login(hans.user)
    assert "Vera Frivillig" in client.get(reverse("shifts:mine")).content.decode()
    client.post(reverse("shifts:hand_over_answer", args=[hand_over.pk]), {"accept": "yes"})
    vera_on.refresh_from_db()
    assert vera_on.volunteer == hans


def test_a_hand_over_to_another_centres_volunteer_is_404(client, vera_on, vera, olga):
    client.force_login(vera.user)
    response = client.post(
        reverse("shifts:hand_over", args=[vera_on.pk]), {"to_volunteer": olga.pk}
    )
    assert response.status_code == 404
    assert not HandOver.objects.exists()


def test_the_week_places_show_every_state(
    client, coordinator, visit, vera_on, dan_on, hans, centre
):
    assignment_answer(assignment=vera_on, volunteer=vera_on.volunteer, answer="declined")
    client.force_login(coordinator)
    page = client.get(
        reverse("shifts:week_places", args=[centre.pk]), {"week": visit.date.strftime("%G-W%V")}
    ).content.decode()
    assert "Sagt nej" in page and "Ikke svaret" in page
    assert "Ledig" in page and "tilbudt til 1, venter" in page
    assert 'hx-trigger="every 10s"' in page


def test_the_week_places_have_an_exact_query_budget(
    client, coordinator, stop, centre, vera, django_assert_num_queries
):
    for day in range(5):
        visit = f.make_visit(stop, date=NEXT_WEEK + dt.timedelta(days=day))
        f.make_assignment(visit, vera)
    week = NEXT_WEEK.strftime("%G-W%V")
    client.force_login(coordinator)
    client.get(reverse("shifts:week_places", args=[centre.pk]), {"week": week})
    # session, user, role, the centre, visits with places counted, their teams,
    # the teams' pending hand-overs, waiting offers, pending requests
    with django_assert_num_queries(9):
        client.get(reverse("shifts:week_places", args=[centre.pk]), {"week": week})


def test_the_coordinator_approves_a_request(client, coordinator, visit, hans, centre):
    centre.places_need_approval = True
    centre.save()
    client.force_login(hans.user)
    client.post(reverse("shifts:take", args=[visit.pk]), {"role": "host"})
    request = hans.take_requests.get()
    client.force_login(coordinator)
    client.post(reverse("shifts:request_decide", args=[centre.pk, request.pk]), {"approve": "yes"})
    assert Assignment.objects.get(visit=visit).volunteer == hans
