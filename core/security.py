"""
Request-level security helpers shared by the login lockout (django-axes), the rate
limits of the public pages and the API throttles.
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """
    REMOTE_ADDR, or with NUM_PROXIES proxies in front the address the first of them
    saw (counted from the right of X-Forwarded-For, since a client can write
    anything on its left). None when there is no valid address (django-axes stores
    it in an address column, which PostgreSQL checks).
    """
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops and _valid(hops[-min(proxies, len(hops))]):
            return hops[-min(proxies, len(hops))]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _valid(remote) else None


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """
    What django-axes answers a locked-out login with: the login page's lockout
    message (JSON under /api/), HTTP 429 with Retry-After.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed logins. This username is locked for %(minutes)s minutes from "
        "this address. Try again later, or ask an administrator to unlock it."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LockoutBackend(AxesStandaloneBackend):
    """
    django-axes' lockout check for every login made over HTTP (the login page, the
    admin, the API token). A login made in code, with no request (the test
    client's ``login()``, a shell), has no address to lock and is left to
    ModelBackend, where django-axes itself would raise.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
