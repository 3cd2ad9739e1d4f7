"""
The one-tap link an offer's message carries: signed, expiring, and working without a
login. The token signs the offer's pk, and an offer belongs to one volunteer, so the
token is the volunteer's word: whoever holds the message may take the place in their
name (as a login link would let them), nothing else. It lapses when the visit starts or
after OFFER_LINK_MAX_AGE (default 14 days), whichever comes first.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shifts import services
from shifts.choices import OfferState
from shifts.models import Offer

SALT = "shifts.offer-link"
DEFAULT_MAX_AGE = dt.timedelta(days=14)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def offer_link_path(offer: Offer) -> str:
    return reverse("shifts:offer_link", args=[_signer().sign(str(offer.pk))])


class LinkRefused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def offer_from_token(token: str, *, now: dt.datetime | None = None) -> Offer:
    """The offer a link is for; LinkRefused (404 forged, 410 expired) otherwise."""
    now = now or timezone.now()
    max_age = getattr(settings, "OFFER_LINK_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        pk = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(_("This link has expired. See your shifts in Drive-in."), 410) from None
    except signing.BadSignature:
        raise LinkRefused(_("This link is not valid."), 404) from None
    offer = Offer.objects.select_related("visit__stop", "volunteer").filter(pk=int(pk)).first()
    if offer is None:
        raise LinkRefused(_("This offer no longer exists."), 404)
    start = timezone.make_aware(dt.datetime.combine(offer.visit.date, offer.visit.start_time))
    if start <= now:
        raise LinkRefused(_("This link has expired: the café has begun."), 410)
    return offer


def _refused_page(
    request: HttpRequest, offer: Offer | None, message: str, status: int
) -> HttpResponse:
    context = {"offer": offer, "message": message, "refused": True}
    return render(request, "shifts/offer_link.html", context, status=status)


def _why_not(offer: Offer) -> str | None:
    if offer.state == OfferState.ACCEPTED:
        return _("You have already taken this place. Thank you!")
    if offer.state == OfferState.DECLINED:
        return _("You have said no to this place.")
    if offer.state != OfferState.WAITING:
        return _("Someone else has taken this place, or it is no longer open.")
    return None


@require_http_methods(["GET", "POST"])
def offer_link(request: HttpRequest, token: str) -> HttpResponse:
    """
    GET shows the place and one button (so a mail scanner that follows links takes
    nothing); POST takes it through offer_accept. Taken, answered or expired: 4xx.
    """
    try:
        offer = offer_from_token(token)
    except LinkRefused as refused:
        return _refused_page(request, None, refused.message, refused.status)
    reason = _why_not(offer)
    if reason:
        return _refused_page(request, offer, reason, 409)
    if request.method == "GET":
        return render(request, "shifts/offer_link.html", {"offer": offer})
    try:
        services.offer_accept(offer=offer, volunteer=offer.volunteer)
    except services.PlaceGone as gone:
        return _refused_page(request, offer, str(gone.message), 409)
    except ValidationError as error:
        return _refused_page(request, offer, " ".join(error.messages), 400)
    context = {"offer": offer, "message": _("The place is yours. Thank you!"), "taken": True}
    return render(request, "shifts/offer_link.html", context)
