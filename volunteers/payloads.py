"""
JSON in and out for the phone: the small helpers its queue's answers share. Status
codes follow the report contract (DESIGN.md): 201 created, 200 duplicate or
replaced, 409 conflict, 400, 401, 403, 404. A report's body is the API's
(visits.contract), so the phone and the API answer alike.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from core import jsonbody


def wants_json(request: HttpRequest) -> bool:
    """The phone's queue sends JSON and asks for JSON; a plain form does neither."""
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


class BadJson(ValueError):
    pass


def json_body(request: HttpRequest):
    try:
        return jsonbody.loads(request.body.decode("utf-8") or "null")
    except jsonbody.NestedTooDeeply as error:
        raise BadJson(str(error)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadJson(_("The request is not valid JSON.")) from error


def detail(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"detail": str(message), **extra}, status=status)


def form_errors(form, extra: dict | None = None) -> JsonResponse:
    """400 with every field's messages, in the language of the page (Danish first)."""
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    for name, messages in (extra or {}).items():
        errors.setdefault(name, []).extend(str(m) for m in messages)
    return detail(_("Please check the marked fields."), 400, errors=errors)


def validation_errors(error) -> dict[str, list[str]]:
    """A service's ValidationError as field → messages ("__all__" for the rest)."""
    if hasattr(error, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def login_required_or_401(view):
    """Like login_required, but the phone's queue gets 401 JSON instead of a login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request):
            return detail(_("You are logged out. Log in again; nothing on the phone is lost."), 401)
        return redirect_to_login(request.get_full_path())

    return wrapper
