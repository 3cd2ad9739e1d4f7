"""
The report form and the home visit form draw the note (with its no-names warning)
and the referrals from one template each (volunteers/_note_field.html,
volunteers/_referrals.html): both doors show the same field and the same words.
"""

import re

import pytest


def _part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


NOTE = r'<div class="field note-field.*?</div>'
REFERRALS = r'<fieldset class="referrals">.*?</fieldset>'


@pytest.fixture
def pages(client, volunteer_user, visit, debt):
    client.force_login(volunteer_user)
    report = client.get(f"/visits/{visit.pk}/report/")
    home = client.get("/home-visits/new/")
    assert report.status_code == home.status_code == 200
    return report.text, home.text


def test_both_forms_show_the_same_note_field_and_warning(pages):
    report, home = pages
    assert _part(report, NOTE) == _part(home, NOTE)
    assert "Ingen navne eller personlige oplysninger" in _part(home, NOTE)


def test_both_forms_ask_for_referrals_with_the_same_words(pages):
    report, home = pages
    assert "Henvisninger" in _part(report, REFERRALS)
    assert "Henvisninger" in _part(home, REFERRALS)
    # The same service types, each with its own stepper.
    names = [re.findall(r"<label[^>]*>([^<]+)</label>", _part(p, REFERRALS)) for p in pages]
    assert names[0] == names[1]
    assert names[0]
