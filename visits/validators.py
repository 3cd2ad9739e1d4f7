"""
Participants are never stored (DESIGN.md): the one check that a free text which
people other than its writer read (a volunteer's note on a visit or a home visit, a
coordinator's note on a visit or reason for cancelling it) holds no CPR number,
phone number or e-mail address. It is attached to the model fields, so the admin,
the phone's forms and JSON, the planning pages and the API refuse the same texts;
the phone checks PATTERN before sending.

Every part of the check is linear in the length of the text (each pattern reads a
bounded stretch from each place, and no pattern's repeated part can match the same
characters two ways), and it never reads more than CHECKED_MAX_LENGTH characters:
a longer text is refused for its length alone.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Longer than any field that carries the rule (notes 500, a cancel reason 200): the
# rule refuses a longer text before any pattern reads it.
CHECKED_MAX_LENGTH = 2000

# Written so that Python and the phone's JavaScript read them alike (data-forbidden):
# no lookbehind, which Safari before 16.4 (iPhones left on iOS 15) cannot parse, no
# flags, no astral characters. Python reads the text after normalise() (NFKC, every
# dash as "-", every decimal digit as 0-9); the phone reads it as typed, so the
# classes below also hold what normalise() folds: full-width digits and @, every
# dash, hyphen and minus of the Basic Multilingual Plane, the no-break spaces.
_D = r"[0-9\uff10-\uff19]"
DASHES = (
    r"\-\u00ad\u058a\u05be\u1400\u1806\u2010-\u2015\u2212\u2796\u2e17\u2e1a\u2e3a\u2e3b"
    r"\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d"
)
_DASH = f"[{DASHES}]"
_SP = r"[ \t\u00a0\u2007\u2009\u202f]"
# Between two digit groups: a dash or a dot with up to two spaces either side
# ("010190 - 1234"), or one to three spaces ("12 345 678").
_SEP = rf"(?:{_SP}{{0,2}}(?:{_DASH}|\.){_SP}{{0,2}}|{_SP}{{1,3}})"
# A number starts the text, or follows a character that is neither a digit nor "+"
# nor a dash or dot; or a dash or dot that follows a non-digit ("tlf.12345678").
# So no number starts inside another ("2026-11-23": not "11-23 ...").
_START = rf"(?:^|[^0-9\uff10-\uff19+.{DASHES}]|[^0-9\uff10-\uff19](?:{_DASH}|\.))"
_END = rf"(?!{_SEP}?{_D})"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)[0-9][0-9]"
_CLOCK = r"(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9]"
# What digit groups often are and a phone or CPR number is not: a date with a
# four-digit year ("12.03.2026", "2026-11-23"), a span of years ("2025-2026",
# "1990 2000"), a span of times ("10.00-12.00"), an amount in thousands
# ("12.500.000", "12 500 000 kr").
_NOT_PERSONAL = (
    rf"(?!{_DAY}{_SEP}{_MONTH}{_SEP}{_YEAR}"
    rf"|{_YEAR}{_SEP}{_MONTH}{_SEP}{_DAY}(?![0-9])"
    rf"|{_YEAR}{_SEP}{_YEAR}"
    rf"|{_CLOCK}{_SP}{{0,2}}{_DASH}{_SP}{{0,2}}{_CLOCK}"
    rf"|[0-9]{{1,3}}(?:\.[0-9]{{3}}){{2,}}(?!\.?[0-9])"
    rf"|[0-9]{{1,3}}(?:{_SP}[0-9]{{3}}){{2,}}{_SP}?(?:kr|DKK))"
)
# DDMMYY and four digits, maybe with a separator after the day, the month and any
# digit of the rest ("010190-1234",
# "01-01-90-1234", "010190 - 1234", "01 01 90-1234", "010190—1234").
_CPR_DIGITS = (
    rf"(?:0[1-9]|[12][0-9]|3[01]){_SEP}?(?:0[1-9]|1[0-2]){_SEP}?"
    rf"{_D}{_SEP}?{_D}(?:{_SEP}?{_D}){{4}}"
)
# Eight digits, maybe after +45 or 0045, in any grouping ("12345678", "12 34 56 78",
# "12 345 678", "12 34 5678", "2030-4050", "20.30.40.50").
_PHONE_DIGITS = rf"(?:(?:\+|00)45{_SEP}?)?{_D}(?:{_SEP}?{_D}){{7}}"
_CPR = f"{_START}{_NOT_PERSONAL}({_CPR_DIGITS}){_END}"
_PHONE = f"{_START}{_NOT_PERSONAL}{_PHONE_DIGITS}{_END}"
# Something, an @ (maybe spaced, full-width, or written "(at)" or "[at]"), then a
# domain with a dot and two characters after it. A domain holds no @, brackets or
# spaces, so no two tries at an e-mail read the same stretch twice.
_AT = rf"{_SP}{{0,3}}(?:[@\uff20]|[(\[][aA][tT][)\]]){_SP}{{0,3}}"
_HOST = r"[^\s@\uff20()\[\]]"
_EMAIL = rf"[^\s@\uff20]{_AT}{_HOST}{_HOST}*?\.{_HOST}{{2}}"
PATTERN = f"{_CPR}|{_PHONE}|{_EMAIL}"

_CPR_RE = re.compile(_CPR)
_PHONE_OR_EMAIL_RE = re.compile(f"{_PHONE}|{_EMAIL}")


class _Fold(dict):
    """str.translate's table: every dash, hyphen and minus as "-", every decimal
    digit (Arabic-Indic, Devanagari, …) as 0-9; filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Nd":
            folded = str(unicodedata.digit(char))
        elif category == "Pd" or char in "\u00ad\u2212\u2796":
            folded = "-"
        else:
            folded = char
        self[code] = folded
        return folded


_FOLD = _Fold()


def normalise(text: str) -> str:
    """The text as the patterns read it: NFKC (full-width forms, no-break spaces),
    then every dash as "-" and every digit as 0-9."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def _is_plausible_date(digits: str) -> bool:
    """Whether the first six digits, DDMMYY, are a real date in some century."""
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def looks_personal(text: str) -> bool:
    """Whether the text holds something like a CPR number, a phone number or an e-mail."""
    text = normalise(text)
    if _PHONE_OR_EMAIL_RE.search(text):
        return True
    return any(
        _is_plausible_date(re.sub("[^0-9]", "", match.group(1))) for match in _CPR_RE.finditer(text)
    )


def _refuse_personal_data(value: str, message: str) -> None:
    """The one rule: a text over CHECKED_MAX_LENGTH is refused before any pattern
    reads it; a text with a CPR number, a phone number or an e-mail is refused."""
    if not value:
        return
    text = str(value)
    if len(text) > CHECKED_MAX_LENGTH:
        raise ValidationError(
            _("The text is too long (at most %(limit_value)s characters)."),
            code="max_length",
            params={"limit_value": CHECKED_MAX_LENGTH},
        )
    if looks_personal(text):
        raise ValidationError(message, code="personal_data")


def validate_no_personal_data(value: str) -> None:
    """Refuses a note with a CPR number, a phone number or an e-mail address."""
    _refuse_personal_data(
        value, _("Write no names, CPR numbers, phone numbers or e-mail addresses in the note.")
    )


def validate_reason_without_personal_data(value: str) -> None:
    """Refuses a reason for cancelling with a CPR number, a phone number or an e-mail."""
    _refuse_personal_data(
        value, _("Write no names, CPR numbers, phone numbers or e-mail addresses in the reason.")
    )
