"""Error pages that say what went wrong, in Danish, for people and for the API."""

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.unavailable import database_unavailable, unavailable_response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": detail}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "detail": detail}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else _("The request was not valid.")
    return _error(request, 400, _("Something in the request is not right"), detail)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else _("You may not do this.")
    return _error(request, 403, _("Not allowed"), detail)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, _("Page not found"), _("The page does not exist, or it is not yours to see.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # A lost database anywhere (a middleware, a session save) is a 503, drawn without it.
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return _error(
        request, 500, _("Something went wrong"), _("We have been told. Please try again later.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """
    CSRF_FAILURE_VIEW: the security check of a form or the phone's queue failed
    (an old page, a new login). JSON to JSON callers, with a code the phone's queue
    knows (it sends again after a reload), else a Danish page; 403 either way.
    """
    detail = _("The security check failed: the page is probably old. Reload it and try again.")
    if _wants_json(request) or request.content_type == "application/json":
        return JsonResponse({"detail": detail, "code": "csrf_failed"}, status=403)
    return _error(request, 403, _("The page has expired"), detail)
