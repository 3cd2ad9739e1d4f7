"""
A small rate limit for the public pages and feeds (``settings.PATH_RATE_LIMITS``):
requests per client address and path prefix in a fixed window, counted in Django's
cache. Over the limit the answer is 429 with Retry-After, before any view or
database work is done. When the cache cannot be reached (Redis down), requests
pass uncounted and a warning is logged: a limit fails open, the site never 500s.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.security import client_ip
from core.text import is_ascii_digits

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
logger = logging.getLogger("drivein.ratelimit")


def now() -> float:
    """The clock of the windows (a function, so that tests can stop it)."""
    return time.time()


def parse_rate(rate: str) -> tuple[int, int]:
    """``"60/minute"`` → (60, 60): requests allowed and the window in seconds."""
    count, _slash, period = rate.partition("/")
    if not is_ascii_digits(count.strip()) or not period or period[0] not in PERIODS:
        raise ValueError(f"Not a rate: {rate!r} (write it like 60/minute)")
    return int(count), PERIODS[period[0]]


class PathRateLimitMiddleware:
    """Limits requests per address under each prefix of ``PATH_RATE_LIMITS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limits = getattr(settings, "PATH_RATE_LIMITS", {})
        for prefix, rate in limits.items():
            if request.path.startswith(prefix):
                try:
                    wait = self._wait(prefix, rate, client_ip(request) or "unknown")
                except Exception as error:  # the cache is down: fail open (module doc)
                    logger.warning("Rate limit not counted, the cache failed: %r", error)
                    wait = 0
                if wait:
                    return self._too_many(request, wait)
                break
        return self.get_response(request)

    @staticmethod
    def _wait(prefix: str, rate: str, address: str) -> int:
        """0 when the request may pass, else the seconds until the window ends."""
        allowed, window = parse_rate(rate)
        moment = now()
        window_start = math.floor(moment / window) * window
        key = f"ratelimit:{prefix}:{address}:{window_start}"
        # add() then incr(): atomic in every cache backend Django ships.
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.add(key, 1, timeout=window + 1)
            count = 1
        if count <= allowed:
            return 0
        return max(1, math.ceil(window_start + window - moment))

    @staticmethod
    def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
        detail = _("Too many requests from your address. Try again in %(seconds)s seconds.") % {
            "seconds": wait
        }
        response = render(
            request,
            "error.html",
            {"status": 429, "title": _("Too many requests"), "detail": detail},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
