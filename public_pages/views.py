"""
Pages and feeds without login: the public stop page and its poster, the centre's
calendar, and a volunteer's private calendar (the token in the address is the key).
Nothing about people on the public ones.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from planning import selectors
from public_pages import feeds
from stops.models import CentreSite, Stop
from visits.models import VisitPattern
from volunteers.models import Volunteer


def _public_stop(slug: str) -> Stop:
    return get_object_or_404(Stop.objects.active().select_related("centre"), slug=slug)


# Addresses that leave the site (calendar UIDs, a poster's QR code, feed links) are
# made from SITE_URL, never from the request's Host: a site reachable under two
# names would otherwise hand out each event twice and print posters to either.
def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _stop_context(request: HttpRequest, stop: Stop) -> dict:
    today = selectors.timezone.localdate()
    feed = reverse("public:centre_feed", args=[stop.centre_id])
    return {
        "stop": stop,
        "visits": selectors.next_visits(stop),
        "patterns": list(
            VisitPattern.objects.filter(stop=stop).valid_between(today, today).order_by("weekday")
        ),
        "feed_url": _absolute(feed),
        "webcal_url": "webcal://" + urlsplit(settings.SITE_URL).netloc + feed,
        "page_url": _absolute(reverse("public:stop_page", args=[stop.slug])),
        "stop_map": selectors.map_data(None, [stop], links=False),
    }


@require_GET
def stop_page(request: HttpRequest, slug: str) -> HttpResponse:
    """When the café comes next to this place (three queries)."""
    stop = _public_stop(slug)
    return render(request, "public/stop_page.html", _stop_context(request, stop))


def qr_svg(url: str) -> str:
    """A QR code for ``url`` as inline SVG (paths only, no style attributes: CSP)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    # The page's CSS sizes the code; drop the fixed millimetre size.
    return svg.replace(' width="', ' data-width="', 1).replace(' height="', ' data-height="', 1)


@require_GET
def stop_poster(request: HttpRequest, slug: str) -> HttpResponse:
    """An A4 poster with a QR code to the stop page, for partners to print and hang up."""
    stop = _public_stop(slug)
    context = _stop_context(request, stop)
    # The SVG is made here from our own URL; nothing in it comes from a user.
    context["qr"] = mark_safe(qr_svg(context["page_url"]))
    return render(request, "public/stop_poster.html", context)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "max-age=900"
    return response


@require_GET
def centre_feed(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The centre's cafés from four weeks back to half a year ahead (two queries)."""
    centre = get_object_or_404(CentreSite.objects.active(), pk=centre_id)

    def stop_url(stop: Stop) -> str:
        return _absolute(reverse("public:stop_page", args=[stop.slug]))

    body = feeds.centre_calendar(
        centre, selectors.centre_feed_visits(centre), host=_host(), stop_url=stop_url
    )
    return _ics(body, f"drivein-centre-{centre.pk}.ics")


@require_GET
def volunteer_feed(request: HttpRequest, token: str) -> HttpResponse:
    """One volunteer's shifts; the secret token is the only key (three queries)."""
    volunteer = get_object_or_404(
        Volunteer.objects.filter(active=True, anonymised_at__isnull=True), calendar_token=token
    )
    body = feeds.volunteer_calendar(
        volunteer, selectors.volunteer_feed_assignments(volunteer), host=_host()
    )
    response = _ics(body, "drivein-shifts.ics")
    response["Cache-Control"] = "private, max-age=900"
    return response
