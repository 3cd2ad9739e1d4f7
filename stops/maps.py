"""
The links that open a stop in a maps app: one home for the route page's *Navigér*
(templates/planning/_navigate.html), the volunteer's shift card
(templates/volunteers/_visit_card.html) and the phone's kept bundle
(volunteers/bundle.py), so the driver and the team are sent to the same place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from stops.models import Stop


def maps_links(stop: Stop) -> dict[str, str]:
    """
    ``geo``: a geo: link, which Android hands to the phone's maps app; ``web``:
    OpenStreetMap's route planner to the stop, for phones that take no geo: links
    (iPhones) and desktops. From the coordinates, else from the address (a search);
    empty with neither.
    """
    if stop.latitude is not None and stop.longitude is not None:
        lat, lon = stop.latitude, stop.longitude
        label = quote(stop.venue_name or stop.community)
        return {
            "geo": f"geo:{lat},{lon}?q={lat},{lon}({label})",
            "web": f"https://www.openstreetmap.org/directions?to={lat}%2C{lon}",
        }
    if stop.address:
        query = quote(f"{stop.address}, {stop.community}")
        return {
            "geo": f"geo:0,0?q={query}",
            "web": f"https://www.openstreetmap.org/search?query={query}",
        }
    return {}
