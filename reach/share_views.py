"""Share links (reach.share_links): made from the dashboard, opened without a login."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from reach.dashboard import dashboard_for
from reach.periods import Period
from reach.share_links import ShareLinkError, ShareLinkGone, share_link_make, shared_selection


@login_required
@require_POST
def share_create(request: HttpRequest) -> HttpResponse:
    """Make a link to the grant and period posted (nothing is stored): show it to copy."""
    try:
        token, valid_until = share_link_make(
            user=request.user, params=request.POST, days=request.POST.get("days", "")
        )
    except ShareLinkError as error:
        raise BadRequest(str(error)) from error
    link = request.build_absolute_uri(reverse("reach:shared", args=[token]))
    return render(request, "reach/share_made.html", {"link": link, "valid_until": valid_until})


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """One grant's figures for one period, suppressed for publication, read only."""
    try:
        selection, valid_until = shared_selection(token)
    except ShareLinkGone:
        return render(request, "reach/share_refused.html", {"gone": True}, status=410)
    except Http404:
        return render(request, "reach/share_refused.html", {"gone": False}, status=404)
    context = {
        "data": dashboard_for(selection),
        "sel": selection,
        "shared": True,
        "valid_until": valid_until,
        "this_week": Period.current_week(),
    }
    response = render(request, "reach/shared.html", context)
    # A link is a key: no cache keeps the page, no referrer carries it to another site.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
