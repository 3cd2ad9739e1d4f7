"""Small text helpers."""

import re

from django.utils.text import slugify

_ASCII_DIGITS = re.compile(r"[0-9]+")

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(text: str) -> str:
    """A slug that keeps Danish letters readable: 'Øster Assels' → 'oester-assels'."""
    return slugify(text.translate(_DANISH))


def is_ascii_digits(value: str) -> bool:
    """
    Whether ``value`` is one or more of the digits 0–9 and nothing else. Not
    ``str.isdigit()``: that is also true for "²" (which int() refuses: a 500) and "٣"
    (which int() reads as 3). User input is parsed with this, then int().
    """
    return _ASCII_DIGITS.fullmatch(value) is not None
