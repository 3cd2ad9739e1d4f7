"""A coordinator sets one visit's team in the editor dialog (docs/team-settings.md)."""

import datetime as dt
from pathlib import Path

from playwright.sync_api import expect

from tests import factories as f
from tests.planning.helpers import next_week, on
from visits.models import Visit

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_visit_editor_sets_the_team_and_a_declined_person_does_not_count(
    page, login, live_server, coordinator, centre, stop
):
    visit = f.make_visit(stop, date=on(2), start_time=dt.time(10), end_time=dt.time(12))
    f.make_assignment(visit, f.make_volunteer(centre, name="Anna Berg"), answer="confirmed")
    f.make_assignment(visit, f.make_volunteer(centre, name="Bo Holm"), answer="declined")
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/week/?week={next_week()}")
    expect(page.locator("#week-grid")).to_contain_text("Kun 1 af mindst 2 personer sat på.")
    page.click(f"#visit-{visit.pk} .visit-link")
    dialog = page.locator("#editor")
    expect(dialog).to_be_visible()
    dialog.locator("#id_places_wanted").fill("3")
    dialog.locator("#id_needs_driver").select_option("false")
    dialog.get_by_role("button", name="Gem holdet").click()
    expect(dialog.locator(".message")).to_have_text("Besøgets hold er gemt.")
    dialog.locator("#id_places_wanted").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "team-visit-editor.png"))
    visit.refresh_from_db()
    assert (visit.places_wanted, visit.needs_driver) == (3, False)
    assert Visit.objects.get(pk=visit.pk).version == 2
