"""
The phone in the field: Today drawn from kept data on a day the phone has not been
online, a report from kept data, and "Gemt på telefonen" at once on a weak signal.
"""

import datetime as dt
import itertools
import re
import time
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from tests.throttle import SLOW_3G, Throttle
from visits.models import VisitReport
from volunteers.models import Volunteer

TODAY = timezone.localdate()
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def field_page(browser, live_server):
    """A phone in Danish time, as the volunteers' are."""
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    yield page
    context.close()


def card(page, place):
    return page.locator("article.visit", has_text=place)


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=COPENHAGEN)


def test_the_next_day_without_signal_today_is_drawn_from_kept_data(
    field_page, login, live_server, vera, centre
):
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    sundby = f.make_visit(
        f.make_stop(centre, community="Sundby", access_notes="Nøglen ligger under måtten"),
        date=TODAY + dt.timedelta(days=1),
    )
    for visit in (redsted, sundby):
        f.make_assignment(visit, vera)
    f.make_assignment(sundby, f.make_volunteer(centre, name="Anne Hansen"), role="driver")

    # Last online today at 17.02, phone time.
    page.clock.set_fixed_time(at(TODAY, 17, 2))
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_contain_text("Klar uden dækning", timeout=15000)

    # The next morning, at a stop without signal.
    page.context.set_offline(True)
    page.clock.set_fixed_time(at(TODAY + dt.timedelta(days=1), 9, 30))
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#updated")).to_have_text("Opdateret i går kl. 17.02")
    expect(page.locator("#today-date")).to_contain_text(f"{(TODAY + dt.timedelta(days=1)).day}.")
    today_card = card(page, "Sundby")
    expect(today_card).to_contain_text("Anne Hansen (chauffør)")
    expect(today_card).to_contain_text("Nøglen ligger under måtten")
    expect(today_card.get_by_role("link", name="Skriv rapport")).to_be_visible()
    # Yesterday's shift is now one that still misses its report.
    expect(page.locator("#missing")).to_contain_text("Redsted")

    # Today's form opens without signal, filled in for Sundby from the kept data.
    today_card.get_by_role("link", name="Skriv rapport").tap()
    expect(page.locator("#shell-visit-line")).to_contain_text("Sundby")
    expect(page.locator("#id_volunteer_minutes")).to_have_value(str(sundby.duration_minutes * 2))
    expect(page.get_by_role("button", name="Send rapport")).to_be_enabled()

    # Yesterday's is reported from the kept data, and arrives when there is signal.
    page.goto(f"{live_server.url}/today/")
    card(page, "Redsted").get_by_role("link", name="Skriv rapport").tap()
    expect(page.locator("#shell-visit-line")).to_contain_text("Redsted")
    page.fill("#id_people_met", "9")
    page.fill("#id_new_people", "2")
    page.fill("#id_meals", "9")
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator(".flash")).to_have_text("Gemt på telefonen – sendes")
    expect(card(page, "Redsted")).to_contain_text("Venter på at blive sendt")
    assert not VisitReport.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#outbox-title")).to_have_text("Alt er sendt", timeout=20000)
    report = VisitReport.objects.get()
    assert (report.visit, report.people_met, report.new_people, report.meals) == (redsted, 9, 2, 9)


def test_a_form_the_phone_never_kept_says_so_without_signal(field_page, login, live_server, vera):
    page = field_page
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/visits/999999/report/")
    expect(page.locator("#shell-missing")).to_contain_text("ikke gemt på telefonen")
    expect(page.locator("#report-form")).to_be_hidden()


@pytest.fixture
def slow_3g(live_server):
    """The live server behind a slow-3G link on loopback (400 kbit/s, 400 ms round trip)."""
    port = int(live_server.url.rsplit(":", 1)[1])
    with Throttle(port, **SLOW_3G) as proxy:
        yield proxy


def login_through(page, proxy, user):
    page.goto(f"{proxy.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{proxy.url}/today/", timeout=30000)


def test_on_slow_3g_the_report_is_saved_on_the_phone_within_a_second(
    field_page, slow_3g, vera, centre
):
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    f.make_assignment(redsted, vera)
    login_through(page, slow_3g, vera.user)
    page.goto(f"{slow_3g.url}/visits/{redsted.pk}/report/", timeout=30000)
    page.fill("#id_people_met", "9")
    page.fill("#id_meals", "9")
    started = page.evaluate("performance.now()")
    page.get_by_role("button", name="Send rapport").tap()
    page.wait_for_function(
        """() => [...document.querySelectorAll('#saved-status, .flash')]
              .some((e) => !e.hidden && e.textContent.includes('Gemt på telefonen – sendes'))""",
        timeout=5000,
    )
    shown_after = page.evaluate("performance.now()") - started
    assert shown_after < 1000, f"{shown_after:.0f} ms"
    # Sending goes on by itself, over the slow link, and the message says it arrived.
    expect(page.locator(".flash")).to_have_text("Sendt. Tak!", timeout=30000)
    report = VisitReport.objects.get()
    assert report.people_met == 9
    # Stored when it was pressed on the phone, before it arrived over the slow link.
    assert dt.timedelta(0) < report.submitted_at - report.captured_at < dt.timedelta(seconds=30)


def test_a_send_that_fails_is_tried_again_by_itself_with_back_off(
    field_page, login, live_server, vera, centre
):
    """The server is unreachable for the first tries: the phone tries again, later each time."""
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    f.make_assignment(redsted, vera)
    login(page, vera.user)
    tries = []

    def unreachable_at_first(route):
        if route.request.method != "PUT":
            route.continue_()
        elif route.request.service_worker:
            # Background Sync's own try: the browser retries it only minutes later.
            route.abort("connectionfailed")
        else:
            tries.append(time.monotonic())
            if len(tries) <= 3:
                route.abort("connectionfailed")
            else:
                route.continue_()

    page.context.route(f"**/api/v1/visits/{redsted.pk}/report/", unreachable_at_first)
    page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    page.fill("#id_people_met", "5")
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator(".flash")).to_have_text("Sendt. Tak!", timeout=30000)
    assert len(tries) == 4
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    # 2 s, 4 s, 8 s (give or take the page's own time).
    assert gaps[1] > gaps[0] * 1.5 and gaps[2] > gaps[1] * 1.5, gaps
    assert VisitReport.objects.get().people_met == 5


def test_a_waiting_report_is_changed_not_doubled(field_page, login, live_server, vera, centre):
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    f.make_assignment(redsted, vera)
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)
    page.context.set_offline(True)
    card(page, "Redsted").get_by_role("link", name="Skriv rapport").tap()
    page.fill("#id_people_met", "9")
    page.get_by_role("button", name="Send rapport").tap()

    redsted_card = card(page, "Redsted")
    expect(redsted_card).to_contain_text("Venter på at blive sendt")
    expect(redsted_card.get_by_role("link", name="Skriv rapport")).to_have_count(0)
    redsted_card.get_by_role("link", name="Ret rapporten, der venter").tap()
    expect(page.locator("#queued-notice")).to_contain_text("Du retter rapporten")
    expect(page.locator("#id_people_met")).to_have_value("9")
    page.fill("#id_people_met", "10")
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (1)")

    page.context.set_offline(False)
    expect(page.locator("#outbox-title")).to_have_text("Alt er sendt", timeout=20000)
    assert VisitReport.objects.get().people_met == 10


def test_background_sync_sends_the_queue_with_no_page_open(
    field_page, login, live_server, vera, centre
):
    """
    Chromium fires the sync when it is online by its own lights (an emulated
    offline phone does not count), so the phone here has signal but its pages'
    own sends are refused: only the service worker's, by Background Sync, get
    through, after the volunteer has closed the app.
    """
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    f.make_assignment(redsted, vera)
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)
    assert page.evaluate("async () => 'sync' in (await navigator.serviceWorker.ready)")
    context = page.context
    senders = []

    def only_the_worker_gets_through(route):
        senders.append("worker" if route.request.service_worker else "page")
        if route.request.service_worker:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route(f"**/api/v1/visits/{redsted.pk}/report/", only_the_worker_gets_through)
    keeper = context.new_page()  # keeps the context (and its service worker) alive
    card(page, "Redsted").get_by_role("link", name="Skriv rapport").tap()
    page.fill("#id_people_met", "7")
    page.get_by_role("button", name="Send rapport").tap()
    # On a quick machine the worker's sync may land before the page shows the queue.
    saved = page.locator("#saved-status, .flash").filter(
        has_text=re.compile("Gemt på telefonen – sendes|Sendt")
    )
    expect(saved.first).to_be_visible()
    page.close()
    for _ in range(150):
        if VisitReport.objects.exists():
            break
        keeper.wait_for_timeout(100)
    assert VisitReport.objects.get().people_met == 7
    assert "worker" in senders


def test_the_profile_says_whether_the_phone_keeps_the_queue_for_good(
    field_page, login, live_server, vera
):
    page = field_page
    login(page, vera.user)
    page.goto(f"{live_server.url}/profile/")
    persisted = page.evaluate("navigator.storage.persisted()")
    expected = "har lovet ikke at rydde" if persisted else "kan rydde"
    expect(page.locator("#storage-state")).to_contain_text(expected)


def test_a_queue_whose_session_expired_is_kept_and_sent_after_the_next_login(
    field_page, login, live_server, vera, centre
):
    page = field_page
    redsted = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    f.make_assignment(redsted, vera)
    login(page, vera.user)
    page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    page.fill("#id_people_met", "8")
    # The session runs out before the report is sent.
    page.context.clear_cookies()
    page.get_by_role("button", name="Send rapport").tap()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert not VisitReport.objects.exists()
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#outbox-title")).to_have_text("Alt er sendt", timeout=20000)
    assert VisitReport.objects.get().people_met == 8


def test_a_coordinator_who_sends_a_report_lands_back_on_the_week(
    page, login, live_server, coordinator, centre
):
    visit = f.make_visit(f.make_stop(centre, community="Redsted"), date=TODAY)
    login(page, coordinator)
    page.goto(f"{live_server.url}/visits/{visit.pk}/report/")
    page.fill("#id_people_met", "11")
    page.get_by_role("button", name="Send rapport").click()
    expect(page).to_have_url(re.compile(rf"/centres/{centre.pk}/week/"), timeout=15000)
    expect(page.locator("main")).not_to_contain_text("Denne side er for frivillige")
    assert VisitReport.objects.get().people_met == 11
