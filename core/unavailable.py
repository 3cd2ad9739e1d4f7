"""
When the database cannot be reached (PostgreSQL down or restarting, SQLite's file
gone or locked), every page answers 503 with a Danish page, and the API a JSON 503,
instead of a stack trace or a 500 that the error page itself cannot draw.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# SQLSTATEs of a server that is not there to answer: connection exceptions (class 08),
# shut down or starting (57P01-57P03), too many connections (53300).
UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
RETRY_AFTER = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be reached (not a bug in a query)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        text = str(cause)
        return any(s in text for s in ("unable to open", "database is locked", "disk I/O"))
    # psycopg: a failed or lost connection has no SQLSTATE; a deadlock or a timeout does.
    state = getattr(cause, "sqlstate", None)
    return state is None or state.startswith("08") or state in UNAVAILABLE_STATES


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503, drawn without the database (no session, no user, no context processors)."""
    detail = _("Drive-in cannot reach its database just now. Try again in a minute.")
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"detail": detail}, status=503)
    else:
        html = render_to_string("drivein/unavailable.html", {"detail": detail})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's lost database into the 503 (errors.server_error does it elsewhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            return unavailable_response(request)
        return None
