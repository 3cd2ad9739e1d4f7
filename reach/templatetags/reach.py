"""Small template helpers for the reach pages: links that keep the selection, numbers."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def reach_query(selection, **changes) -> str:
    """``?…`` for this selection with changes; an empty string value drops a parameter."""
    cleaned = {name: (None if value in ("", None) else value) for name, value in changes.items()}
    return "?" + urlencode(selection.params(**cleaned))


@register.filter
def num(value) -> str:
    """A whole number with Danish thousands separators (1.260); a dash for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    return number_format(round(value), force_grouping=True)


@register.filter
def hours(value) -> str:
    """Hours with one decimal (12,5)."""
    return number_format(value or 0, decimal_pos=1, force_grouping=True)


@register.filter
def pct(share) -> str:
    """A share as a whole percentage (87 %); a dash for none."""
    if share is None:
        return "–"
    return f"{round(share * 100)} %"


@register.filter
def bar_width(share) -> int:
    """A share as a bar width in an SVG of width 100, capped at 100."""
    if not share:
        return 0
    return max(1, min(100, round(share * 100)))


@register.filter
def bar_class(share) -> str:
    """Colour of a target bar: reached, close, or far below."""
    if share is None:
        return "none"
    if share >= 1:
        return "ok"
    return "warn" if share >= 0.75 else "bad"


@register.filter
def change(current, earlier) -> str:
    """The change from last year as +12 % / −8 %; empty when there is nothing to compare."""
    if not earlier or not isinstance(current, int | float):
        return ""  # nothing to compare, or the figure is hidden for publication
    delta = (current - earlier) / earlier
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(round(delta * 100))} %"


@register.filter
def ref_cell(row, service_type_id: int):
    """A row's referrals of one service type as published (reach.publication.Published)."""
    return row.shown_referral(service_type_id)
