"""
A volunteer on a 360 px touch phone: a one-time login link, the Today page, a
report sent online, reports and a home visit made without signal that wait on the
phone (also across a reload) and are sent when the signal returns, a resent queue
item that counts once, and a conflict the volunteer resolves.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from visits.models import HomeVisit, VisitReport
from volunteers.models import Volunteer
from volunteers.services import login_link_send

TODAY = timezone.localdate()


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def shifts(centre, vera):
    """Two cafés on Vera's team: this morning at Redsted, yesterday at Sundby."""
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    sundby = f.make_visit(
        f.make_stop(centre, community="Sundby"), date=TODAY - dt.timedelta(days=1)
    )
    for visit in (redsted, sundby):
        f.make_assignment(visit, vera)
    f.make_assignment(redsted, f.make_volunteer(centre, name="Anne Hansen"), role="driver")
    return redsted, sundby


@pytest.fixture
def debt(db):
    return f.make_service_type(name="Gældsrådgivning", slug="gaeld")


def card(page, place):
    return page.locator("article.visit", has_text=place)


def queue_item(page, title):
    return page.locator("#outbox-list li", has_text=title)


def tap(page, field, times):
    for _ in range(times):
        page.locator(f'button.step[data-for="id_{field}"][data-dir="1"]').tap()


def fill_report(page, *, people, new, meals, debt=None, debt_count=0):
    tap(page, "people_met", people)
    tap(page, "new_people", new)
    page.fill("#id_meals", str(meals))
    if debt is not None:
        tap(page, f"referral_{debt.pk}", debt_count)
    page.fill("#id_note", "Kaffe og boller, god stemning.")


def wait_until_ready_offline(page):
    """The service worker keeps today's page and the forms: the page says so."""
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)


def test_a_volunteer_logs_in_with_a_link_and_sends_a_report(
    phone_page, live_server, vera, shifts, debt
):
    redsted, _sundby = shifts
    link = login_link_send(volunteer=vera, base_url=live_server.url)
    phone_page.goto(link.url)
    expect(phone_page.locator("main")).to_contain_text("Log ind som Vera Frivillig")
    phone_page.get_by_role("button", name="Log ind").tap()
    expect(phone_page).to_have_url(f"{live_server.url}/today/")
    expect(card(phone_page, "Redsted")).to_contain_text("Anne Hansen (chauffør)")
    expect(card(phone_page, "Redsted")).to_contain_text("Ingen rapport endnu")

    card(phone_page, "Redsted").get_by_role("link", name="Skriv rapport").tap()
    expect(phone_page.locator("h1")).to_have_text("Rapport")
    fill_report(phone_page, people=3, new=1, meals=14, debt=debt, debt_count=2)
    expect(phone_page.locator("#id_people_met")).to_have_value("3")
    phone_page.get_by_role("button", name="Send rapport").tap()

    expect(phone_page).to_have_url(f"{live_server.url}/today/")
    expect(phone_page.locator(".flash")).to_have_text("Sendt. Tak!")
    expect(card(phone_page, "Redsted")).to_contain_text("Rapport sendt")
    report = VisitReport.objects.get(visit=redsted)
    assert (report.people_met, report.new_people, report.meals) == (3, 1, 14)
    assert dict(report.referrals.values_list("service_type", "count")) == {debt.pk: 2}
    assert report.submitted_by == vera.user
    # The link worked once.
    phone_page.context.clear_cookies()
    phone_page.goto(link.url)
    expect(phone_page.locator("h1")).to_have_text("Linket virker ikke")


def test_the_phone_checks_the_numbers_before_sending(phone_page, login, live_server, vera, shifts):
    redsted, _sundby = shifts
    login(phone_page, vera.user)
    phone_page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    tap(phone_page, "people_met", 2)
    tap(phone_page, "new_people", 3)
    expect(phone_page.locator("#id_new_people-error")).to_have_text(
        "“Heraf nye” kan ikke være flere end “mødte mennesker”."
    )
    phone_page.fill("#id_meals", "99999")
    expect(phone_page.locator("#id_meals-error")).to_have_text("Højst 2000. Tjek tallet.")
    phone_page.fill("#id_note", "Ring til 12 34 56 78")
    phone_page.get_by_role("button", name="Send rapport").tap()
    expect(phone_page.locator("#id_note-error")).to_contain_text("CPR-numre, telefonnumre")
    expect(phone_page).to_have_url(re.compile(r"/report/$"))
    assert not VisitReport.objects.exists()


def test_reports_made_without_signal_wait_on_the_phone_and_are_sent_later(
    phone_page, login, live_server, vera, shifts, centre
):
    redsted, sundby = shifts
    login(phone_page, vera.user)
    phone_page.goto(f"{live_server.url}/today/")
    wait_until_ready_offline(phone_page)

    context = phone_page.context
    context.set_offline(True)
    phone_page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    expect(phone_page.locator("#connection")).to_be_visible()
    fill_report(phone_page, people=12, new=2, meals=10)
    phone_page.get_by_role("button", name="Send rapport").tap()
    expect(phone_page.locator(".flash")).to_contain_text("Gemt på telefonen")

    phone_page.goto(f"{live_server.url}/visits/{sundby.pk}/report/")
    fill_report(phone_page, people=7, new=0, meals=7)
    phone_page.get_by_role("button", name="Send rapport").tap()
    expect(phone_page.locator(".flash")).to_contain_text("Gemt på telefonen")

    phone_page.goto(f"{live_server.url}/home-visits/new/")
    tap(phone_page, "duration_minutes", 2)
    phone_page.fill("#id_note", "Hjælp med e-Boks")
    phone_page.get_by_role("button", name="Gem hjemmebesøg").tap()

    expect(phone_page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (3)")
    phone_page.reload()
    expect(phone_page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (3)")
    for title in ("Redsted", "Sundby", "Hjemmebesøg"):
        expect(queue_item(phone_page, title)).to_contain_text("Venter")
    expect(card(phone_page, "Redsted")).to_contain_text("Venter på at blive sendt")
    assert not VisitReport.objects.exists()
    assert not HomeVisit.objects.exists()

    context.set_offline(False)
    expect(phone_page.locator("#outbox-title")).to_have_text("Alt er sendt", timeout=15000)
    for title in ("Redsted", "Sundby", "Hjemmebesøg"):
        expect(queue_item(phone_page, title)).to_contain_text("Sendt")

    reports = {r.visit_id: r for r in VisitReport.objects.all()}
    assert set(reports) == {redsted.pk, sundby.pk}
    assert (reports[redsted.pk].people_met, reports[redsted.pk].new_people) == (12, 2)
    assert (reports[sundby.pk].people_met, reports[sundby.pk].meals) == (7, 7)
    home_visit = HomeVisit.objects.get()
    assert (home_visit.centre, home_visit.duration_minutes, home_visit.date) == (
        centre,
        90,
        TODAY,
    )
    # "Send nu" again sends nothing twice.
    phone_page.reload()
    expect(phone_page.locator("#outbox-title")).to_have_text("Alt er sendt")
    assert VisitReport.objects.count() == 2
    assert HomeVisit.objects.count() == 1


def test_a_queue_item_sent_twice_counts_once(browser, live_server, login, vera, shifts):
    """The first answer is lost on the way back: the phone resends, the server counts once."""
    redsted, _sundby = shifts
    # Without the service worker, so that the test can lose the answer on purpose.
    context = browser.new_context(**PHONE, locale="da-DK", service_workers="block")
    page = context.new_page()
    login(page, vera.user)
    posts = []

    def lose_the_answer(route):
        if route.request.method != "PUT":
            route.continue_()
            return
        posts.append(route.request.post_data_json["submission_id"])
        try:
            route.fetch()  # the server stores it ...
            route.abort()  # ... but the phone never hears back
        except PlaywrightError:
            pass  # the page moved on meanwhile; the server has it either way

    # The phone's queue speaks the API.
    page.route(f"**/api/v1/visits/{redsted.pk}/report/", lose_the_answer)
    page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    fill_report(page, people=5, new=1, meals=5)
    page.get_by_role("button", name="Send rapport").tap()
    expect(queue_item(page, "Redsted")).to_contain_text("Venter")
    # Opening Today, the phone tries again by itself: lost too.
    for _ in range(100):
        if len(posts) >= 2:
            break
        page.wait_for_timeout(100)
    expect(queue_item(page, "Redsted")).to_contain_text("Venter")
    assert VisitReport.objects.count() == 1

    page.unroute(f"**/api/v1/visits/{redsted.pk}/report/")
    page.get_by_role("button", name="Send nu").tap()
    expect(queue_item(page, "Redsted")).to_contain_text("Sendt")
    # Every try was the same submission, and it counted once.
    assert len(posts) >= 2
    assert len(set(posts)) == 1
    assert VisitReport.objects.count() == 1
    assert str(VisitReport.objects.get().submission_id) == posts[0]
    context.close()


def test_a_conflicting_report_shows_both_and_the_volunteer_chooses(
    phone_page, login, live_server, vera, shifts, debt
):
    redsted, _sundby = shifts
    login(phone_page, vera.user)
    sent = []
    # The context sees the service worker's requests too (Background Sync).
    phone_page.context.on(
        "request",
        lambda request: (
            sent.append(request.post_data_json)
            if request.method == "PUT"
            and request.url.endswith(f"/api/v1/visits/{redsted.pk}/report/")
            else None
        ),
    )
    phone_page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    fill_report(phone_page, people=9, new=1, meals=9, debt=debt, debt_count=2)
    # Meanwhile Vera's other phone has sent a report with other numbers.
    stored = f.make_report(redsted, people_met=6, new_people=0, meals=6, submitted_by=vera.user)
    stored.referrals.create(service_type=debt, count=1)
    phone_page.get_by_role("button", name="Send rapport").tap()

    item = queue_item(phone_page, "Redsted")
    expect(item).to_contain_text("Kræver handling")
    expect(item).to_contain_text("Besøget har allerede en rapport")
    expect(item).to_contain_text("Den gemte blev sendt")
    expect(item.locator(".reason")).to_have_count(0)
    expect(item.locator("tr", has_text="Mødte mennesker").locator("td")).to_have_text(["6", "9"])
    expect(item.locator("tr", has_text="Henvisninger").locator("td")).to_have_text(["1", "2"])
    expect(item.get_by_role("button", name="Behold den gemte")).to_be_visible()
    item.get_by_role("button", name="Erstat med min").tap()

    expect(queue_item(phone_page, "Redsted")).to_contain_text("Sendt")
    report = VisitReport.objects.get(visit=redsted)
    assert (report.people_met, report.version) == (9, 2)
    assert dict(report.referrals.values_list("service_type", "count")) == {debt.pk: 2}
    # The phone spoke the API's contract: referrals as a list, `version` to replace.
    first, replacement = sent[0], sent[-1]
    assert first["referrals"] == [{"service_type": debt.pk, "count": 2}]
    assert "version" not in first
    assert replacement["version"] == 1
    assert "replaces_version" not in replacement
    assert replacement["submission_id"] != first["submission_id"]


def test_a_conflict_queued_before_the_phone_spoke_the_apis_shape_can_still_be_resolved(
    phone_page, login, live_server, vera, shifts, debt
):
    """
    A phone that was offline across the update keeps items in the old shape:
    referrals by id, and a conflict's stored report flat beside "detail".
    """
    redsted, _sundby = shifts
    stored = f.make_report(redsted, people_met=6, new_people=0, meals=6, submitted_by=vera.user)
    login(phone_page, vera.user)
    phone_page.goto(f"{live_server.url}/today/")
    expect(card(phone_page, "Redsted")).to_be_visible()
    phone_page.evaluate(
        """([url, userId, storedId, debtId]) => new Promise((resolve, reject) => {
            const open = indexedDB.open("drivein", 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const tx = open.result.transaction("outbox", "readwrite");
                tx.objectStore("outbox").put({
                    submission_id: "5f0c6f55-8d0e-4b7e-9a53-6f1f2a0c9e11",
                    kind: "report", url, title: "Redsted", visitId: null, userId,
                    payload: {submission_id: "5f0c6f55-8d0e-4b7e-9a53-6f1f2a0c9e11",
                              people_met: 9, new_people: 1, meals: 9, food_bags: 0,
                              clothing_items: 0, other_items: 0, volunteer_minutes: 60,
                              note: "", referrals: {[debtId]: 2}},
                    state: "attention", reason: "Besøget har allerede en rapport",
                    conflict: true, errors: null, createdAt: new Date().toISOString(),
                    server: {id: storedId, version: 1, people_met: 6, meals: 6,
                             referrals: {}, can_replace: true,
                             detail: "Besøget har allerede en rapport"},
                });
                tx.oncomplete = () => resolve();
                tx.onerror = () => reject(tx.error);
            };
        })""",
        [f"/visits/{redsted.pk}/report/", vera.user.pk, stored.pk, debt.pk],
    )
    phone_page.reload()
    item = queue_item(phone_page, "Redsted")
    expect(item.locator("tr", has_text="Mødte mennesker").locator("td")).to_have_text(["6", "9"])
    expect(item.locator("tr", has_text="Henvisninger").locator("td")).to_have_text(["0", "2"])
    item.get_by_role("button", name="Erstat med min").tap()

    expect(queue_item(phone_page, "Redsted")).to_contain_text("Sendt")
    report = VisitReport.objects.get(visit=redsted)
    assert (report.people_met, report.version) == (9, 2)
    assert dict(report.referrals.values_list("service_type", "count")) == {debt.pk: 2}


def test_logging_out_with_unsent_items_warns_first(phone_page, login, live_server, vera, shifts):
    redsted, _sundby = shifts
    login(phone_page, vera.user)
    phone_page.goto(f"{live_server.url}/today/")
    wait_until_ready_offline(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    fill_report(phone_page, people=4, new=0, meals=4)
    phone_page.get_by_role("button", name="Send rapport").tap()
    expect(phone_page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (1)")

    phone_page.get_by_role("button", name="Log ud").tap()
    dialog = phone_page.locator("#logout-warning")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Du har 1 ting på telefonen, der ikke er sendt endnu.")
    dialog.get_by_role("button", name="Bliv logget ind").tap()
    expect(dialog).to_be_hidden()
    expect(phone_page).to_have_url(f"{live_server.url}/today/")
    phone_page.context.set_offline(False)
    expect(queue_item(phone_page, "Redsted")).to_contain_text("Sendt", timeout=15000)


def test_the_today_page_and_the_form_fit_a_phone(phone_page, login, live_server, vera, shifts):
    redsted, _sundby = shifts
    for name in ("Misbrugsbehandling", "Hjælp til MitID og e-Boks", "Gadesygeplejerske"):
        f.make_service_type(name=name)
    login(phone_page, vera.user)
    for path in ("/today/", f"/visits/{redsted.pk}/report/", "/home-visits/new/", "/profile/"):
        phone_page.goto(f"{live_server.url}{path}")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path
    # Every stepper button is a big touch target.
    phone_page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    for box in [b.bounding_box() for b in phone_page.locator("button.step").all()]:
        assert box["width"] >= 48 and box["height"] >= 48
