"""``{% load stop_maps %}``: a stop's maps links in any template (stops.maps)."""

from __future__ import annotations

from django import template

from stops import maps
from stops.models import Stop

register = template.Library()


@register.filter
def maps_links(stop: Stop) -> dict[str, str]:
    """The stop's geo: link and web fallback, as the phone's kept bundle has them."""
    return maps.maps_links(stop)
