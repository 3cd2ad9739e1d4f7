"""The reach dashboard and its exports: thin views over reach.params and reach.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reach import exports
from reach.dashboard import dashboard_for
from reach.params import Selection, SelectionError, funders_for_menu, resolve_selection
from reach.periods import Period
from reach.share_links import SHARE_DAYS_CHOICES
from stops.models import Funder


def _selection(request: HttpRequest) -> Selection:
    """The selection asked for; 404 outside the user's reach, 400 for malformed input."""
    try:
        return resolve_selection(request.user, request.GET)
    except SelectionError as error:
        raise BadRequest(str(error)) from error


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Weekly reach at one level, with targets, completeness, trends and totals."""
    selection = _selection(request)
    context = {
        "data": dashboard_for(selection),
        "sel": selection,
        "funders": funders_for_menu(selection),
        "this_week": Period.current_week(),
        "share_days": SHARE_DAYS_CHOICES,
    }
    if selection.grant_only:  # a funder's login chooses among its own grants only
        context["funders"] = Funder.objects.filter(readers=request.user)
    return render(request, "reach/dashboard.html", context)


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The selection's stops × weeks as CSV, streamed."""
    return exports.csv_response(_selection(request))


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The selection's overview and stops × weeks as an Excel workbook."""
    return exports.xlsx_response(_selection(request))
