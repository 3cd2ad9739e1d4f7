"""
SMS length: GSM 03.38's 7-bit alphabet, or UCS-2 when a character is outside it.

GSM-7: 160 septets in one SMS, 153 per part when split (the concatenation header
takes 7). The extension table's characters (€ [ ] { } ^ ~ \\ | and form feed) take
two septets each and are never split across parts. Danish æ ø å Æ Ø Å are in the
basic table. Anything else (an emoji, "ö" is in, "ê" is not) makes the whole message
UCS-2: 70 UTF-16 code units alone, 67 per part, a surrogate pair never split.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "\f^{}\\[~]|€"
_BASIC = frozenset(GSM7_BASIC) - {"\x1b"}
_EXTENSION = frozenset(GSM7_EXTENSION)

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsParts:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.segments)


def is_gsm7(text: str) -> bool:
    return all(ch in _BASIC or ch in _EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in _EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def parts(text: str) -> SmsParts:
    """How the text goes over the air: its encoding, length and the parts it is split into."""
    gsm = is_gsm7(text)
    single, per_part = (GSM7_SINGLE, GSM7_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    length = sum(_units(ch, gsm) for ch in text)
    if length <= single:
        return SmsParts("GSM-7" if gsm else "UCS-2", length, (text,) if text else ())
    segments: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        size = _units(ch, gsm)
        if used + size > per_part:  # an escape pair or a surrogate pair stays whole
            segments.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += size
    if current:
        segments.append("".join(current))
    return SmsParts("GSM-7" if gsm else "UCS-2", length, tuple(segments))
