"""
Share links: a signed, expiring, read-only link to one grant's figures for one
period, for a funder without a login (docs/funders.md).

Why signed (``django.core.signing``) and not a stored token: making a link writes
nothing, so leadership, who change nothing, may make one; nothing is kept about
who was sent what; the link cannot be widened (any change to it breaks the
signature) and it ends by itself. The price is that one link cannot be withdrawn
before its day (only rotating SECRET_KEY ends every link, and every session with
them), so links are short-lived: a week, a month or at most 90 days.
The signature's own timestamp caps every link at ``MAX_DAYS`` whatever it says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core import signing
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import ALL, READERS, AnyUser, role_of, visible_centre_ids
from reach.params import Selection, SelectionError, grant_selection
from stops.models import Funder

SALT = "drivein.reach.share-link"
SHARE_DAYS_CHOICES = (7, 30, 90)
MAX_DAYS = max(SHARE_DAYS_CHOICES)
# The parameters a link carries: the grant, the period and the place (never a user).
CARRIED = ("funder", "region", "centre", "week", "month", "quarter", "year", "from", "to")


class ShareLinkError(ValueError):
    """A link that cannot be made; the message is for the user (HTTP 400)."""


class ShareLinkGone(Exception):
    """A link whose days are over, or whose grant no longer has that period (HTTP 410)."""


def share_link_make(*, user: AnyUser, params: Mapping[str, str], days: str) -> tuple[str, dt.date]:
    """
    A token for the grant and period in ``params``, valid ``days`` days (7, 30 or 90),
    and its last valid day. Leadership and administrators may share any grant; a
    coordinator only a grant whose every stop is at their own centres (the link
    shows the whole grant). 404 for anyone else or a grant outside their reach.
    """
    role = role_of(user)
    if role not in READERS:
        raise Http404
    if not (params.get("funder") or "").strip():
        raise ShareLinkError(_("Choose a funder first: a share link shows one grant."))
    if days not in {str(choice) for choice in SHARE_DAYS_CHOICES}:
        raise ShareLinkError(_("Choose how long the link works: 7, 30 or 90 days."))
    try:
        selection = grant_selection(params, grants=Funder.objects.all())
    except SelectionError as error:
        raise ShareLinkError(str(error)) from None
    funder = selection.funder
    assert funder is not None  # grant_selection always finds one
    scope = visible_centre_ids(user)
    if scope is not ALL:
        if scope is None or not funder.covered_stops().filter(centre__in=scope).exists():
            raise Http404
        if funder.covered_stops().exclude(centre__in=scope).exists():
            raise ShareLinkError(
                _(
                    "The grant “%(name)s” also covers other centres' stops, so only "
                    "leadership can share it."
                )
                % {"name": funder.name}
            )
    valid_until = timezone.localdate() + dt.timedelta(days=int(days))
    carried = {name: value for name, value in selection.params().items() if name in CARRIED}
    token = signing.dumps({"p": carried, "u": valid_until.isoformat()}, salt=SALT, compress=True)
    return token, valid_until


def shared_selection(token: str) -> tuple[Selection, dt.date]:
    """
    The selection a link opens and its last valid day: 404 for a link that was not
    made here or was changed, ``ShareLinkGone`` for one whose days are over.
    """
    try:
        payload = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=MAX_DAYS + 1))
        params, valid_until = payload["p"], dt.date.fromisoformat(payload["u"])
    except signing.SignatureExpired:
        raise ShareLinkGone from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404 from None
    if valid_until < timezone.localdate():
        raise ShareLinkGone
    try:
        selection = grant_selection(params, grants=Funder.objects.all())
    except SelectionError:
        raise ShareLinkGone from None  # the grant changed: it no longer has this period
    return selection, valid_until
