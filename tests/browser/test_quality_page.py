"""The data-quality page on a coordinator's phone: the cafés to look at, marked as checked."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reach.models import QualityCheck
from tests import factories as f
from tests.conftest import PHONE

CPH = ZoneInfo("Europe/Copenhagen")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DAY = timezone.localdate() - dt.timedelta(days=2)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    yield page
    context.close()


def held(stop, *, late=False, **counts):
    visit = f.make_visit(stop, date=DAY, status="held")
    at = dt.datetime.combine(DAY + dt.timedelta(days=2 if late else 0), dt.time(13), tzinfo=CPH)
    f.make_report(visit, captured_at=at, submitted_at=at, **{"people_met": 9, **counts})
    return visit


def test_a_coordinator_marks_a_cafe_as_checked_on_the_phone(
    phone, login, live_server, centre, coordinator
):
    redsted = f.make_stop(centre, community="Redsted")
    karby = f.make_stop(centre, community="Karby")
    held(redsted, people_met=120, new_people=2, outliers="people_met", outliers_confirmed=True)
    zero = held(karby, people_met=0, new_people=0, meals=0)
    held(f.make_stop(centre, community="Sundby"), late=True, new_people=7)
    f.make_visit(f.make_stop(centre, community="Vils"), date=DAY)
    login(phone, coordinator)
    week = f"{DAY.isocalendar().year}-W{DAY.isocalendar().week:02d}"
    phone.goto(f"{live_server.url}/reach/quality/?week={week}")
    expect(phone.locator("h1")).to_contain_text("Datakvalitet")
    rows = phone.locator(".quality-row")
    expect(rows).to_have_count(4)
    expect(phone.locator("#to-check")).to_contain_text(
        "Uden for det sædvanlige, bekræftet af den frivillige"
    )
    expect(phone.locator("#to-check")).to_contain_text("Usædvanligt mange nye")
    expect(phone.locator("#to-check")).to_contain_text("Ingen status")
    karby_row = rows.filter(has_text="Karby")
    expect(karby_row).to_contain_text("Holdt, 0 mødte mennesker")
    karby_row.get_by_role("button", name="Markér som tjekket").tap()
    expect(phone.locator(".quality-row", has_text="Karby")).to_contain_text("Tjekket af alice")
    assert QualityCheck.objects.get().visit == zero
    if SCREENSHOTS.is_dir():
        phone.screenshot(path=SCREENSHOTS / "data-quality-phone.png", full_page=True)
