"""The weekly digest: leaders get the national summary, coordinators their cafés to fix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from core.weeks import IsoWeek
from reach.services import digest_send
from tests import factories as f

TODAY = dt.date(2025, 12, 1)  # Monday after 2025-W48


@pytest.fixture
def people(world):
    leader = f.make_leader("lea")
    leader.email = "lea@example.org"
    leader.save()
    mors = f.make_coordinator(world.mors, "alice")
    mors.email = "alice@example.org"
    mors.save()
    skjern = f.make_coordinator(world.skjern, "charlie")
    skjern.email = "charlie@example.org"
    skjern.save()
    return leader, mors, skjern


def test_each_leader_gets_the_national_summary_in_danish(people, mailoutbox):
    result = digest_send(week=IsoWeek(2025, 48), today=TODAY)
    assert result.leaders == 1
    mail = next(m for m in mailoutbox if m.to == ["lea@example.org"])
    assert mail.subject == "Drive-in: rækkevidde i uge 2025-W48"
    assert "Mødte mennesker: 37 (mål 189, 20 %)" in mail.body
    assert "Afholdte caféer: 5 af 7 planlagte · 1 aflyst" in mail.body
    assert "Region Nordjylland: 17 mødte mennesker" in mail.body
    assert "/reach/?week=2025-W48" in mail.body


def test_the_leaders_completeness_counts_cafes_without_status(people, mailoutbox):
    digest_send(week=IsoWeek(2025, 48), today=TODAY)
    mail = next(m for m in mailoutbox if m.to == ["lea@example.org"])
    assert "Rapporter modtaget: 67 % (4 af 6 tidligere caféer" in mail.body
    # Brovst: one report, one café nobody marked held: worst, at 50 %.
    assert "- Brovst: 50 % (0 uden rapport, 1 uden status)" in mail.body


def test_a_coordinator_gets_the_missing_reports_of_their_centre_only(people, mailoutbox):
    result = digest_send(week=IsoWeek(2025, 48), today=TODAY)
    assert result.coordinators == 1  # Skjern has nothing missing: no mail
    mail = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert mail.subject == "Drive-in: 1 café uden rapport eller status"
    assert "Karby (Mors): ingen rapport" in mail.body
    assert "Skovsgaard" not in mail.body  # Brovst is not hers
    assert not [m for m in mailoutbox if m.to == ["charlie@example.org"]]


def test_the_command_defaults_to_last_week_and_checks_its_week(people, mailoutbox):
    call_command("send_weekly_digest", "--week", "2025-W48")
    assert len(mailoutbox) == 2
    with pytest.raises(CommandError, match="er ikke en uge"):
        call_command("send_weekly_digest", "--week", "48")


def test_people_without_an_email_address_are_skipped(world, mailoutbox):
    f.make_leader("no-mail")
    assert digest_send(week=IsoWeek(2025, 48), today=TODAY).leaders == 0
    assert mailoutbox == []


def test_the_links_start_with_the_site_url_setting(people, mailoutbox, settings):
    settings.SITE_URL = "https://drivein.example.org"
    digest_send(week=IsoWeek(2025, 48), today=TODAY)
    leader = next(m for m in mailoutbox if m.to == ["lea@example.org"])
    assert "https://drivein.example.org/reach/?week=2025-W48" in leader.body
    coordinator = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert "https://drivein.example.org/centres/" in coordinator.body


def test_the_command_uses_the_site_url_by_default(people, mailoutbox, settings):
    settings.SITE_URL = "https://sdo.example.dk"
    call_command("send_weekly_digest", "--week", "2025-W48")
    assert all("https://sdo.example.dk/" in mail.body for mail in mailoutbox)
    assert all(" /reach/" not in mail.body for mail in mailoutbox)


def test_the_site_url_defaults_to_the_development_server():
    from drivein import settings as project_settings

    assert project_settings.SITE_URL == "http://127.0.0.1:8000"


def test_a_file_mail_url_puts_the_digest_in_that_folder(people, tmp_path, settings):
    """EMAIL_URL=filemail://<folder>: the settings pass the folder to the file backend."""
    import json
    import os
    import subprocess
    import sys

    folder = tmp_path / "mail"
    mailers = subprocess.run(
        [sys.executable, "-c", "import json, drivein.settings as s; print(json.dumps(s.MAILERS))"],
        env={**os.environ, "EMAIL_URL": f"filemail://{folder}"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings.MAILERS = json.loads(mailers)
    assert settings.MAILERS["default"]["OPTIONS"] == {"file_path": str(folder)}
    call_command("send_weekly_digest", "--week", "2025-W48")
    written = "".join(path.read_text() for path in folder.iterdir())
    assert "To: lea@example.org" in written
    assert "To: alice@example.org" in written
