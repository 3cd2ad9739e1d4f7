"""The SMS backends for development and tests, chosen by SMS_URL as Django's mail backends are."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import sms

TEXT = "Husk – Drive-in: café i Redsted onsdag 2. december 10.00. Slå fra: …"


def test_the_file_backend_writes_one_file_per_message(tmp_path, settings):
    settings.SMS_SENDER = "DriveOut"
    backend = sms.get_backend(f"file://{tmp_path}/sms")
    backend.send("4520304050", TEXT)
    backend.send("4520304051", TEXT)
    files = sorted((tmp_path / "sms").glob("*.sms"))
    assert len(files) == 2
    first = files[0].read_text(encoding="utf-8")
    assert first.startswith("To: +452030405") and "From: DriveOut\n\n" in first
    assert first.endswith(TEXT + "\n")


def test_the_console_backend_prints_the_message_and_its_parts(capsys):
    sms.get_backend("console://").send("4520304050", TEXT)
    out = capsys.readouterr().out
    assert out.startswith("SMS to +4520304050 from ")
    assert "(1 part(s), UCS-2)" in out  # the dash is not GSM-7: 68 of UCS-2's 70
    assert TEXT in out


def test_the_memory_backend_keeps_them_for_the_test():
    sms.outbox.clear()
    sms.get_backend("locmem://").send("4520304050", TEXT)
    assert [(m.to, m.text) for m in sms.outbox] == [("4520304050", TEXT)]
    sms.outbox.clear()


def test_an_unknown_backend_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="SMS_URL smtp:// is not known"):
        sms.get_backend("smtp://example.org")
