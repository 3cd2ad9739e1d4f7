"""The roster: the centre's stops in order, each with its weekly patterns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from planning import selectors
from planning.access import (
    can_plan,
    centre_for_planning,
    pattern_for_planning,
    stop_for_planning,
)
from planning.forms import PatternForm, PlacesApprovalForm, RosterMoveForm, StopForm
from planning.geo import place_off_land
from planning.services import patterns, team
from planning.services import roster as stop_roster
from planning.views import is_htmx
from stops.models import Stop


@login_required
@require_GET
def roster(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The stops in roster order with venue, patterns, next visit and whether active."""
    centre = centre_for_planning(request.user, centre_id, edit=False)
    template = "planning/roster.html" + ("#table" if is_htmx(request) else "")
    stops = selectors.roster(centre)
    context = {
        "centre": centre,
        "stops": stops,
        "roster_map": selectors.map_data(centre, stops),
        "can_edit": can_plan(request.user),
        "approval_form": PlacesApprovalForm(
            initial={"places_need_approval": centre.places_need_approval}
        ),
    }
    return render(request, template, context)


@login_required
@require_POST
def places_approval(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Whether a volunteer's tap on an open place takes it or asks the coordinator."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    form = PlacesApprovalForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on"/"true"/"1" is off
    needs = form.cleaned_data["places_need_approval"]
    team.centre_set_places_approval(centre=centre, needs_approval=needs, user=request.user)
    if needs:
        messages.success(request, _("A volunteer's take of an open place now waits for you."))
    else:
        messages.success(request, _("A volunteer who takes an open place now has it at once."))
    return redirect("planning:roster", centre_id=centre.pk)


@login_required
@require_POST
def roster_move(request: HttpRequest, centre_id: int) -> HttpResponse:
    """One stop up or down the roster."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    form = RosterMoveForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose a stop and a direction."))
    stop = stop_for_planning(request.user, centre, form.cleaned_data["stop"])
    offset = -1 if form.cleaned_data["direction"] == "up" else 1
    stop_roster.roster_move(centre=centre, stop=stop, offset=offset, user=request.user)
    if is_htmx(request):
        context = {"centre": centre, "stops": selectors.roster(centre), "can_edit": True}
        return render(request, "planning/roster.html#table", context)
    return redirect("planning:roster", centre_id=centre.pk)


@login_required
def stop_add(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = centre_for_planning(request.user, centre_id, edit=True)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stop = stop_roster.stop_create(
                centre=centre, fields=form.cleaned_data, user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(stop)s was added to the roster. Now give it a weekly pattern.")
                % {"stop": stop.community},
            )
            _warn_if_off_land(request, stop)
            return redirect("planning:stop_edit", centre_id=centre.pk, stop_id=stop.pk)
    status = 400 if form.is_bound else 200
    context = {"centre": centre, "form": form, **_placing(centre, None, form)}
    return render(request, "planning/stop_form.html", context, status=status)


@login_required
def stop_edit(request: HttpRequest, centre_id: int, stop_id: int) -> HttpResponse:
    """A stop's details and its patterns."""
    centre = centre_for_planning(request.user, centre_id, edit=request.method == "POST")
    stop = get_object_or_404(Stop.objects.for_user(request.user).filter(centre=centre), pk=stop_id)
    form = StopForm(request.POST or None, instance=stop)
    if request.method == "POST" and form.is_valid():
        try:
            stop_roster.stop_update(stop=stop, fields=form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The stop was saved."))
            _warn_if_off_land(request, stop)
            return redirect("planning:roster", centre_id=centre.pk)
    status = 400 if form.is_bound else 200
    context = {
        "centre": centre,
        "stop": stop,
        "form": form,
        "patterns": stop.patterns.order_by("weekday", "start_time"),
        "can_edit": can_plan(request.user),
        **_placing(centre, stop, form),
    }
    return render(request, "planning/stop_form.html", context, status=status)


def _placing(centre, stop: Stop | None, form) -> dict:
    """The map to place the stop on, and whether its place is off Danish land."""
    return {
        "stop_map": selectors.map_data(centre, [stop] if stop else [], links=False),
        "off_land": stop is not None and not form.is_bound and place_off_land(stop),
    }


def _warn_if_off_land(request: HttpRequest, stop: Stop) -> None:
    if place_off_land(stop):
        messages.warning(
            request,
            _(
                "%(stop)s lies at sea or outside Denmark by its coordinates. Check them: "
                "click on the map where the stop is."
            )
            % {"stop": stop.community},
        )


@login_required
@require_POST
def stop_active(request: HttpRequest, centre_id: int, stop_id: int) -> HttpResponse:
    """Take a stop off the roster (its coming visits are cancelled) or put it back."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    stop = stop_for_planning(request.user, centre, stop_id)
    active = request.POST.get("active") == "1"
    change = stop_roster.stop_set_active(stop=stop, active=active, user=request.user)
    if active:
        _back_on_roster_messages(request, stop, change)
    else:
        messages.success(
            request,
            _("%(stop)s was taken off the roster; %(count)s coming visits were cancelled.")
            % {"stop": stop.community, "count": change.cancelled},
        )
    return redirect("planning:roster", centre_id=centre.pk)


def _back_on_roster_messages(
    request: HttpRequest, stop: Stop, change: stop_roster.RosterChange
) -> None:
    messages.success(
        request,
        _(
            "%(stop)s is on the roster again: %(restored)s coming visits that were cancelled "
            "when it was taken off are planned again, and %(created)s more were planned from "
            "its patterns."
        )
        % {"stop": stop.community, "restored": change.restored, "created": change.created},
    )
    if change.still_cancelled:
        messages.info(
            request,
            _("%(count)s coming visits that were cancelled by hand are still cancelled.")
            % {"count": change.still_cancelled},
        )
    if change.kept:
        messages.warning(request, _kept_message(change.kept))


@login_required
def pattern_edit(
    request: HttpRequest, centre_id: int, stop_id: int, pattern_id: int | None = None
) -> HttpResponse:
    """Add or change a weekly pattern; the coming visits follow it."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    stop = stop_for_planning(request.user, centre, stop_id)
    pattern = pattern_for_planning(request.user, stop, pattern_id) if pattern_id else None
    form = PatternForm(request.POST or None, instance=pattern, stop=stop)
    if request.method == "POST" and form.is_valid():
        try:
            _pattern, sync = patterns.pattern_save(
                stop=stop, pattern=pattern, fields=form.cleaned_data, user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _pattern_message(sync))
            if sync.kept:
                messages.warning(request, _kept_message(sync.kept))
            return redirect("planning:stop_edit", centre_id=centre.pk, stop_id=stop.pk)
    status = 400 if form.is_bound else 200
    context = {"centre": centre, "stop": stop, "pattern": pattern, "form": form}
    return render(request, "planning/pattern_form.html", context, status=status)


def _pattern_message(sync: patterns.PatternSync) -> str:
    return _(
        "The pattern was saved. Coming visits: %(created)s planned, %(retimed)s given the new "
        "times, %(removed)s removed."
    ) % {"created": sync.created, "retimed": sync.retimed, "removed": sync.removed}


def _kept_message(count: int) -> str:
    return _(
        "%(count)s coming visits no longer fit the pattern but have volunteers on "
        "them; they were kept. Move or cancel them in the week."
    ) % {"count": count}
