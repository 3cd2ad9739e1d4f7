"""The map's settings for static/js/map.js (tiles or Denmark's outline), as JSON data."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def map_config() -> dict:
    """Tiles from MAP_TILE_URL with their attribution, else the vendored outline only."""
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "outline": static("vendor/denmark/denmark.geojson"),
    }
