"""The report form as a page: what it shows each role, and the plain POST without JavaScript."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from tests import factories as f
from visits import limits
from visits.choices import VisitStatus
from visits.models import VisitReport
from volunteers.forms import ReportForm, model_max

from .conftest import TODAY


def form_data(**fields):
    return {
        "submission_id": str(uuid.uuid4()),
        "people_met": "12",
        "new_people": "2",
        "meals": "11",
        "food_bags": "0",
        "clothing_items": "0",
        "other_items": "0",
        "volunteer_minutes": "240",
        "note": "",
        **fields,
    }


def test_it_asks_anonymous_visitors_to_log_in(client, visit):
    response = client.get(f"/visits/{visit.pk}/report/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("user_fixture", ["volunteer_user", "coordinator", "admin_user"])
def test_reporters_see_the_form(client, request, visit, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(f"/visits/{visit.pk}/report/")
    assert response.status_code == 200
    assert 'id="report-form"' in response.text
    assert "Ingen navne eller personlige oplysninger" in response.text


def page_body(html: str) -> str:
    """The page's own content: <main> up to the scripts' texts."""
    return html.split("<main", 1)[1].split('id="drivein-config"', 1)[0]


def assert_no_report_form(html: str, visit) -> None:
    html = page_body(html)
    assert "<form" not in html
    assert 'id="report-form"' not in html
    assert f'action="/visits/{visit.pk}/report/"' not in html
    assert 'name="people_met"' not in html
    assert "Send rapport" not in html
    assert "Send rettelse" not in html
    assert "Erstat med min" not in html


def test_leadership_reads_the_report_and_gets_no_form(client, visit, leader, volunteer_user, debt):
    report = f.make_report(
        visit,
        people_met=14,
        new_people=3,
        meals=13,
        volunteer_minutes=240,
        note="Kaffe og boller, god stemning.",
        submitted_by=volunteer_user,
        submitted_at=timezone.make_aware(dt.datetime.combine(visit.date, dt.time(15, 5))),
    )
    report.referrals.create(service_type=debt, count=2)
    client.force_login(leader)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert response.status_code == 200
    html = response.text
    assert "Den gemte rapport" in html
    for label, value in [
        ("Mødte mennesker", 14),
        ("Heraf nye", 3),
        ("Måltider", 13),
        ("Frivilligminutter", 240),
        ("Gældsrådgivning", 2),
    ]:
        assert re.search(rf"<dt>{label}</dt><dd class=\"num\">{value}</dd>", html), label
    assert "Kaffe og boller, god stemning." in html
    assert f"Sendt af Vera Frivillig, {visit.date.day}." in html, page_body(html)
    assert "15:05" in html
    assert_no_report_form(html, visit)
    # Nothing about correcting it: leadership does not write reports.
    assert "koordinator" not in page_body(html)
    assert f"/centres/{visit.stop.centre_id}/week/?week=" in html


def test_a_report_whose_sender_is_unknown_says_when_it_came_not_who(client, visit, leader):
    """Imported or anonymised reports have no sender: no "Sendt af ?"."""
    f.make_report(
        visit,
        submitted_by=None,
        submitted_at=timezone.make_aware(dt.datetime.combine(visit.date, dt.time(15, 5))),
    )
    client.force_login(leader)
    html = page_body(client.get(f"/visits/{visit.pk}/report/").text)
    assert f"Sendt {visit.date.day}." in html and "15:05" in html
    assert "Sendt af" not in html


def test_leadership_sees_that_a_visit_has_no_report_yet(client, visit, leader):
    client.force_login(leader)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert response.status_code == 200
    assert "Ingen rapport endnu" in response.text
    assert_no_report_form(response.text, visit)


def test_leadership_cannot_post_a_report(client, visit, leader):
    client.force_login(leader)
    response = client.post(f"/visits/{visit.pk}/report/", form_data())
    assert response.status_code == 403
    assert "Ledelsen" in response.text
    assert not VisitReport.objects.exists()


@pytest.mark.parametrize("user_fixture", ["volunteer_user", "other_coordinator"])
def test_another_centres_visit_is_404(client, request, other_visit, visit, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    target = other_visit if user_fixture == "volunteer_user" else visit
    assert client.get(f"/visits/{target.pk}/report/").status_code == 404


def test_the_limits_are_rendered_into_the_inputs(client, visit, volunteer_user, debt):
    client.force_login(volunteer_user)
    html = client.get(f"/visits/{visit.pk}/report/").text
    assert re.search(rf'name="people_met"[^>]*max="{limits.MAX_PEOPLE}"', html)
    assert re.search(r'name="people_met"[^>]*min="0"', html)
    assert re.search(rf'name="meals"[^>]*max="{limits.MAX_ITEMS}"', html)
    assert re.search(rf'name="referral_{debt.pk}"[^>]*max="{limits.MAX_REFERRALS}"', html)
    assert re.search(r'name="new_people"[^>]*data-not-above="people_met"', html)
    assert 'inputmode="numeric"' in html
    assert f'maxlength="{limits.NOTE_MAX_LENGTH}"' in html
    assert "data-forbidden=" in html


def test_the_form_and_the_models_share_one_set_of_limits():
    form = ReportForm(service_types=[])
    from visits.models import VisitReport as Report

    for name in ("people_met", "new_people", "meals", "food_bags", "volunteer_minutes"):
        assert form.fields[name].max_value == model_max(Report, name)
    assert form.fields["note"].max_length == Report._meta.get_field("note").max_length


def test_volunteer_minutes_are_prefilled_from_length_times_team(
    client, visit, volunteer_user, centre
):
    f.make_assignment(visit, f.make_volunteer(centre))
    f.make_assignment(visit, f.make_volunteer(centre))
    client.force_login(volunteer_user)
    html = client.get(f"/visits/{visit.pk}/report/").text
    # 120 minutes × 3 on the team
    assert re.search(r'name="volunteer_minutes"[^>]*value="360"', html)
    assert "120 minutter × 3 på holdet = 360" in html


def test_a_plain_post_stores_the_report_and_goes_to_today(client, visit, volunteer_user, debt):
    client.force_login(volunteer_user)
    response = client.post(
        f"/visits/{visit.pk}/report/", form_data(**{f"referral_{debt.pk}": "2"}), follow=True
    )
    assert response.redirect_chain[-1][0] == "/today/"
    assert "Tak! Rapporten for Redsted er sendt." in response.text
    stored = VisitReport.objects.get()
    assert (stored.people_met, stored.meals) == (12, 11)
    assert dict(stored.referrals.values_list("service_type", "count")) == {debt.pk: 2}


def test_a_double_tap_without_javascript_counts_once(client, visit, volunteer_user):
    client.force_login(volunteer_user)
    data = form_data()
    client.post(f"/visits/{visit.pk}/report/", data)
    response = client.post(f"/visits/{visit.pk}/report/", data, follow=True)
    assert "allerede modtaget" in response.text
    assert VisitReport.objects.count() == 1


def test_bad_numbers_show_danish_messages_and_write_nothing(client, visit, volunteer_user):
    client.force_login(volunteer_user)
    response = client.post(
        f"/visits/{visit.pk}/report/", form_data(people_met="3", new_people="4", meals="-1")
    )
    assert response.status_code == 400
    assert "Tjek de markerede felter." in response.text
    assert "kan ikke være flere end" in response.text
    assert "Tallet kan ikke være negativt." in response.text
    assert not VisitReport.objects.exists()


def test_a_conflict_shows_both_reports_and_offers_to_replace(client, visit, volunteer_user):
    f.make_report(visit, people_met=7, submitted_by=volunteer_user)
    client.force_login(volunteer_user)
    response = client.post(f"/visits/{visit.pk}/report/", form_data(people_met="12"))
    assert response.status_code == 409
    assert "Besøget har allerede en rapport" in response.text
    assert re.search(r"<td class=\"num\">7</td><td class=\"num\">12</td>", response.text)
    assert "Erstat med min" in response.text
    assert re.search(r'name="version" value="1"', response.text)
    assert VisitReport.objects.get().people_met == 7


def test_a_cancelled_visit_says_so_and_has_no_form(client, visit, volunteer_user):
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = "Sne"
    visit.save()
    client.force_login(volunteer_user)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert "aflyst" in response.text
    assert 'id="report-form"' not in response.text
    response = client.post(f"/visits/{visit.pk}/report/", form_data())
    assert response.status_code == 400
    assert not VisitReport.objects.exists()


def test_a_future_visit_shows_the_form_for_later_with_the_button_off(client, stop, volunteer_user):
    future = f.make_visit(stop, date=TODAY + dt.timedelta(days=3))
    client.force_login(volunteer_user)
    response = client.get(f"/visits/{future.pk}/report/")
    assert response.status_code == 200
    assert "ikke fundet sted endnu" in response.text
    assert re.search(r'<button type="submit"[^>]*disabled', response.text)
    response = client.post(f"/visits/{future.pk}/report/", form_data())
    assert response.status_code == 400
    assert not VisitReport.objects.exists()


def test_my_own_report_can_be_corrected_for_seven_days(client, visit, volunteer_user):
    f.make_report(visit, people_met=7, submitted_by=volunteer_user)
    client.force_login(volunteer_user)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert "Ret rapport" in response.text
    assert re.search(r'name="people_met"[^>]*value="7"', response.text)
    response = client.post(
        f"/visits/{visit.pk}/report/", form_data(people_met="8", version="1"), follow=True
    )
    assert "rettet" in response.text
    assert VisitReport.objects.get().people_met == 8


def test_after_seven_days_the_volunteer_sees_the_report_and_why_not(client, visit, volunteer_user):
    f.make_report(
        visit,
        people_met=7,
        submitted_by=volunteer_user,
        submitted_at=timezone.now() - dt.timedelta(days=8),
    )
    client.force_login(volunteer_user)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert 'id="report-form"' not in response.text
    assert "Nu kan kun en koordinator rette den" in response.text
    response = client.post(f"/visits/{visit.pk}/report/", form_data(people_met="8", version="1"))
    assert response.status_code == 403
    assert VisitReport.objects.get().people_met == 7


def test_the_page_shows_nothing_of_the_history(client, visit, volunteer_user):
    report = f.make_report(visit, people_met=7, submitted_by=volunteer_user)
    report.people_met = 9
    report.save()
    client.force_login(volunteer_user)
    response = client.get(f"/visits/{visit.pk}/report/")
    assert "historik" not in response.text.lower()
    assert 'value="7"' not in response.text


@pytest.mark.parametrize("path", ["report", "/home-visits/new/", "/visits/report-form/"])
def test_every_hint_an_input_points_to_exists(client, volunteer_user, visit, debt, path):
    """aria-describedby names ids that are on the page, and field errors are announced."""
    client.force_login(volunteer_user)
    html = client.get(f"/visits/{visit.pk}/report/" if path == "report" else path).text
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described
    for ids in described:
        for id_ in ids.split():
            assert f'id="{id_}"' in html, id_
    assert 'class="field-error"' in html
    assert html.count('class="field-error"') == html.count('aria-live="polite"')


def test_the_conflict_screen_says_who_sent_the_stored_report_and_when(
    client, volunteer_user, visit, centre
):
    anne = f.make_volunteer(centre, name="Anne Hansen", user=f.make_user("anne"))
    f.make_report(visit, people_met=4, submitted_by=anne.user)
    client.force_login(volunteer_user)
    form = client.get(f"/visits/{visit.pk}/report/")
    assert form.status_code == 200
    response = client.post(
        f"/visits/{visit.pk}/report/",
        {"submission_id": str(uuid.uuid4()), "people_met": "9"},
    )
    assert response.status_code == 409
    assert "Sendt af Anne Hansen" in response.text
    assert "(version 1)" not in response.text
