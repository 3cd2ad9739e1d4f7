"""
The field figures: a volunteer's phone on slow 3G through a throttling proxy on
loopback (400 kbit/s each way, 400 ms round trip, every request counted, the
service worker's too). What an online Today open costs with and without changes,
how long until "Klar uden dækning", and what the typical report takes: 9 people,
2 new, 9 meals, 5 food bags, 1 referral. The tests hold the targets of issue 12;
`make field` runs them and writes the figures into docs/volunteers.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from tests.throttle import SLOW_3G, Throttle
from visits.models import VisitReport
from volunteers.models import Volunteer

TODAY = timezone.localdate()
THINK_SECONDS = 1.5  # a volunteer's time per tap or typed number (issue 12)
ROOT = Path(__file__).resolve().parents[2]
# The guide whose "field figures" markers hold the table.
GUIDE = ROOT / "docs" / "volunteers.md"
FIGURES: dict[str, str] = {}


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def week(centre, vera):
    """Vera's week as the field sees it: 8 shifts at 8 stops, 5 kinds of help."""
    for name in ("Gældsrådgivning", "Retshjælp", "Misbrug", "MitID og e-Boks", "Sygeplejerske"):
        f.make_service_type(name=name)
    visits = []
    for day in range(-1, 7):
        stop = f.make_stop(centre, community=f"Landsby {day + 2}", access_notes="Nøgle i skuret")
        visit = f.make_visit(stop, date=TODAY + dt.timedelta(days=day))
        f.make_assignment(visit, vera)
        f.make_assignment(visit, f.make_volunteer(centre), role="driver")
        visits.append(visit)
    return visits


@pytest.fixture
def phone(browser, live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    with Throttle(port, **SLOW_3G) as proxy:
        yield page, proxy
    context.close()


def login(page, proxy, user) -> None:
    page.goto(f"{proxy.url}/accounts/login/", timeout=30000)
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{proxy.url}/today/", timeout=30000)


def open_today(page, proxy) -> tuple[int, float]:
    """Bytes down and seconds until "Klar uden dækning" for one online Today open."""
    proxy.reset()
    started = time.monotonic()
    page.goto(f"{proxy.url}/today/", timeout=60000)
    expect(page.locator("#offline-ready")).to_be_visible(timeout=60000)
    seconds = time.monotonic() - started
    page.wait_for_load_state("networkidle", timeout=60000)
    return proxy.bytes_down, seconds


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def test_an_online_today_open_fetches_only_what_changed(phone, vera, week, centre):
    page, proxy = phone
    started = time.monotonic()
    login(page, proxy, vera.user)
    expect(page.locator("#offline-ready")).to_be_visible(timeout=60000)
    first_ready = time.monotonic() - started
    page.wait_for_load_state("networkidle", timeout=60000)
    first = proxy.bytes_down

    unchanged, unchanged_seconds = open_today(page, proxy)
    # The coordinator adds a shift and a colleague's report arrives: the bundle changes.
    extra = f.make_visit(f.make_stop(centre, community="Ny landsby"), date=TODAY)
    f.make_assignment(extra, vera)
    f.make_report(week[0], people_met=6, submitted_by=vera.user)
    changed, changed_seconds = open_today(page, proxy)
    expect(page.locator("article.visit", has_text="Ny landsby")).to_be_visible()

    assert unchanged <= 15 * 1024, kb(unchanged)
    assert changed <= 60 * 1024, kb(changed)
    FIGURES.update(
        {
            "first_open": f"{kb(first)}, “Klar uden dækning” after {first_ready:.1f} s",
            "unchanged": f"{kb(unchanged)} ({unchanged_seconds:.1f} s to “Klar uden dækning”)",
            "changed": f"{kb(changed)} ({changed_seconds:.1f} s)",
        }
    )


def test_the_typical_report_takes_few_interactions_and_little_time(phone, vera, week):
    page, proxy = phone
    login(page, proxy, vera.user)
    expect(page.locator("#offline-ready")).to_be_visible(timeout=60000)
    today = page.locator("article.visit").filter(has=page.get_by_role("link", name="Skriv rapport"))
    interactions = 0
    waited = 0.0

    def act(action) -> None:
        nonlocal interactions, waited
        interactions += 1
        started = time.monotonic()
        action()
        waited += time.monotonic() - started

    act(lambda: today.first.get_by_role("link", name="Skriv rapport").tap())
    started = time.monotonic()
    expect(page.locator("#id_people_met")).to_be_visible(timeout=60000)
    waited += time.monotonic() - started
    typical = (("people_met", "9"), ("new_people", "2"), ("meals", "9"), ("food_bags", "5"))
    for field, value in typical:
        act(lambda field=field: page.locator(f"#id_{field}").tap())
        act(lambda value=value: page.keyboard.type(value))
    act(lambda: page.locator("fieldset.referrals button.step[data-dir='1']").first.tap())
    started = time.monotonic()
    act(lambda: page.get_by_role("button", name="Send rapport").tap())
    saved = page.locator(".flash, #saved-status").filter(has_text="Gemt på telefonen")
    expect(saved).to_be_visible(timeout=5000)
    waited += time.monotonic() - started
    seconds = interactions * THINK_SECONDS + waited
    expect(page.locator(".flash")).to_have_text("Sendt. Tak!", timeout=60000)
    report = VisitReport.objects.get()
    assert (report.people_met, report.new_people, report.meals, report.food_bags) == (9, 2, 9, 5)
    assert sum(report.referrals.values_list("count", flat=True)) == 1
    assert interactions <= 12
    assert seconds <= 30, f"{seconds:.1f} s"
    FIGURES["report"] = (
        f"{interactions} interactions, {seconds:.1f} s on slow 3G "
        f"({interactions} × {THINK_SECONDS} s and {waited:.1f} s of loading and saving)"
    )


@pytest.fixture(scope="module", autouse=True)
def _write_figures():
    """`make field` (FIELD_DOCS=1) writes the figures between the guide's markers."""
    yield
    if not FIGURES:
        return
    lines = [
        "| Field figure (slow 3G through a throttling proxy: 400 kbit/s, 400 ms) | Measured |",
        "| --- | --- |",
        f"| Typical report (9 people, 2 new, 9 meals, 5 food bags, 1 referral) | "
        f"{FIGURES.get('report', '–')} |",
        f"| First Today open (installs everything) | {FIGURES.get('first_open', '–')} |",
        f"| Online Today open, nothing changed | {FIGURES.get('unchanged', '–')} |",
        f"| Online Today open, a shift and a report changed | {FIGURES.get('changed', '–')} |",
    ]
    table = "\n".join(lines)
    print("\n" + table)
    if os.environ.get("FIELD_DOCS") != "1":
        return
    text = GUIDE.read_text(encoding="utf-8")
    block = f"<!-- field figures -->\n{table}\n<!-- /field figures -->"
    GUIDE.write_text(
        re.sub(r"<!-- field figures -->.*?<!-- /field figures -->", block, text, flags=re.S),
        encoding="utf-8",
    )


def test_screenshots_of_the_phone(browser, live_server, vera, week, tmp_path):
    """Today, the form, a report waiting, and the next day offline: into docs/ by make field."""
    folder = ROOT / "docs" / "screenshots" if os.environ.get("FIELD_DOCS") else tmp_path
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    page.clock.set_fixed_time(
        dt.datetime.combine(TODAY, dt.time(17, 2), tzinfo=dt.timezone(dt.timedelta(hours=1)))
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", vera.user.username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30000)
    page.screenshot(path=folder / "today-phone.png")
    page.locator("article.visit").filter(
        has=page.get_by_role("link", name="Skriv rapport")
    ).first.get_by_role("link", name="Skriv rapport").tap()
    page.fill("#id_people_met", "9")
    page.fill("#id_new_people", "2")
    page.screenshot(path=folder / "report-form-phone.png")
    page.context.set_offline(True)
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (1)")
    page.screenshot(path=folder / "today-offline-queue-phone.png")
    page.clock.set_fixed_time(
        dt.datetime.combine(
            TODAY + dt.timedelta(days=1), dt.time(9, 30), tzinfo=dt.timezone(dt.timedelta(hours=1))
        )
    )
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#updated")).to_contain_text("Opdateret i går kl. 17.02")
    page.screenshot(path=folder / "today-next-day-offline-phone.png")
    context.close()
    assert (folder / "today-next-day-offline-phone.png").stat().st_size > 10000
