"""The reach dashboard and its exports: thin views over reach.params and reach.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reach import exports
from reach.dashboard import dashboard_for
from reach.params import Selection, SelectionError, resolve_selection
from stops.models import Funder, Region


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
    data = dashboard_for(selection)
    funders = Funder.objects.order_by("name")
    if selection.scoped:
        funders = funders.filter(pk__in=_visible_funder_ids(selection))
    regions = Region.objects.order_by("name") if not selection.scoped else Region.objects.none()
    context = {"data": data, "sel": selection, "funders": funders, "regions": regions}
    return render(request, "reach/dashboard.html", context)


def _visible_funder_ids(selection: Selection):
    """Funders covering at least one of a coordinator's centres or their stops (a subquery)."""
    from django.db.models import Q

    centres = selection.query.centres or ()
    return Funder.objects.filter(Q(centres__in=centres) | Q(stops__centre__in=centres)).values("pk")


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
