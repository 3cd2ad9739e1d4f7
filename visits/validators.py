"""
Participants are never stored (DESIGN.md): the one check that a free-text note a
volunteer writes about a visit holds no CPR number, phone number or e-mail
address. It is attached to the model fields, so the admin, the phone's forms and
JSON, and the API refuse the same notes; the phone checks PATTERN before sending.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Written so that Python and the phone's JavaScript read them alike (data-forbidden),
# without lookbehind, which Safari before 16.4 (iPhones left on iOS 15) cannot parse:
# a number starts the text or follows something that is not a digit.
_START = r"(?:^|[^\d+])"
_DASH = "\u2013"  # en dash, as phones and word processors write it
# DDMMYY, maybe spaced or dotted ("01 01 90"), then maybe a space or a dash, 4 digits.
_CPR = rf"(?:^|\D)(?:0[1-9]|[12]\d|3[01])[ .]?(?:0[1-9]|1[0-2])[ .]?\d\d[\s\-{_DASH}]?\d{{4}}(?!\d)"
# A Danish number, maybe after +45 or 0045: 8 digits together, in pairs with one
# separator throughout ("20 30 40 50", "20-30-40-50", "20.30.40.50"), or in fours
# ("2030 4050", "2030-4050") unless that is a span of years ("2025-2026", "2025 2026"). A date
# ("12.03.2026", "2026-11-23") or a time span ("10.00-12.00") is none of these.
# The one capturing group (the pairs' separator) is group 1 wherever this is used.
_PHONE = (
    rf"{_START}(?:(?:\+|00)45[\s.\-]?)?"
    rf"(?:\d{{8}}|\d\d([\s.\-{_DASH}])\d\d\1\d\d\1\d\d"
    rf"|(?!(?:19|20)\d\d[\s\-{_DASH}](?:19|20)\d\d(?!\d))\d{{4}}[\s.\-{_DASH}]\d{{4}})(?!\d)"
)
_EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]{2,}"
PATTERN = f"{_CPR}|{_PHONE}|{_EMAIL}"

_CPR_DATE = re.compile(rf"(?<!\d)(\d\d)[ .]?(\d\d)[ .]?(\d\d)[\s\-{_DASH}]?\d{{4}}(?!\d)")
_PHONE_OR_EMAIL = re.compile(f"{_PHONE}|{_EMAIL}")


def _is_plausible_date(day: str, month: str, year: str) -> bool:
    """Whether DDMMYY is a real date in some century (29 February included)."""
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


def looks_personal(text: str) -> bool:
    """Whether the text holds something like a CPR number, a phone number or an e-mail."""
    if _PHONE_OR_EMAIL.search(text):
        return True
    return any(_is_plausible_date(*match.groups()) for match in _CPR_DATE.finditer(text))


def validate_no_personal_data(value: str) -> None:
    """Refuses a note with a CPR number, a phone number or an e-mail address."""
    if value and looks_personal(str(value)):
        raise ValidationError(
            _("Write no names, CPR numbers, phone numbers or e-mail addresses in the note."),
            code="personal_data",
        )
