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

# Written so that Python and the phone's JavaScript read it alike (data-forbidden).
_CPR = r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[ -]?\d{4}(?!\d)"
# 8 digits, spaces allowed ("12 34 56 78", "1234 5678"), maybe after +45 or 0045.
_PHONE = r"(?<![\d+])(?:(?:\+|00)45 ?)?(?:\d ?){7}\d(?!\d)"
_EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]{2,}"
PATTERN = f"{_CPR}|{_PHONE}|{_EMAIL}"

_CPR_DATE = re.compile(r"(?<!\d)(\d\d)(\d\d)(\d\d)[ -]?\d{4}(?!\d)")
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
