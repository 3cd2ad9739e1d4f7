"""
API rate limits per token or user (per address for anonymous calls), by scope.
When the cache cannot be reached (Redis down) a request passes uncounted, as the
path rate limits do (core/ratelimit.py): fail open, never a 500.
"""

import logging

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.security import client_ip

logger = logging.getLogger("drivein.ratelimit")


class ScopedThrottle(SimpleRateThrottle):
    """
    The scope is the view's ``throttle_scope`` when it names one, otherwise "read"
    for GET/HEAD/OPTIONS and "write" for the rest; rates are in
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. A user has one token, so a limit
    per user is a limit per token.
    """

    def __init__(self) -> None:
        # The scope is known only per request (see allow_request).
        pass

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", None) or (
            "read" if request.method in SAFE_METHODS else "write"
        )
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache is down: fail open (module doc)
            logger.warning("API throttle not counted, the cache failed: %r", error)
            return True

    def get_rate(self) -> str:
        # Read at each request (DRF reads them once at import), so settings may change.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{client_ip(request) or 'unknown'}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
