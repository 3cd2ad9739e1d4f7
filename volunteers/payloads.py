"""
JSON in and out for the phone: the report as the phone's queue receives it, and
the small helpers the JSON answers share. Status codes follow the report contract
(DESIGN.md): 201 created, 200 duplicate or replaced, 409 conflict, 400, 401, 403, 404.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from visits.models import ReportReferral, VisitReport
from visits.services import REPORT_FIELDS, report_can_replace


def wants_json(request: HttpRequest) -> bool:
    """The phone's queue sends JSON and asks for JSON; a plain form does neither."""
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


class BadJson(ValueError):
    pass


def json_body(request: HttpRequest):
    try:
        return json.loads(request.body.decode("utf-8") or "null")
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


def report_json(report: VisitReport, *, user) -> dict:
    """The stored report as the phone shows it (also in a 409, beside the phone's own)."""
    referrals = ReportReferral.objects.filter(report=report).values_list("service_type_id", "count")
    submitted_by = report.submitted_by
    return {
        "id": report.pk,
        "visit": report.visit_id,
        "version": report.version,
        "submission_id": str(report.submission_id),
        **{name: getattr(report, name) for name in REPORT_FIELDS},
        "referrals": {str(pk): count for pk, count in referrals},
        "submitted_by": (submitted_by.get_full_name() or submitted_by.username)
        if submitted_by
        else "",
        "submitted_at": report.submitted_at.isoformat(),
        "can_replace": report_can_replace(user=user, report=report),
    }


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
