"""
The coordinator's pages: the week, the visit editor, the day route and the roster.

Every view fetches through planning.access, validates with a form, calls a
service and renders. Under htmx (``HX-Request``) the editor answers with its
fragment plus the refreshed week grid (out of band); without JavaScript the same
forms post and redirect back to the week.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import READERS, role_of
from core.forms import add_service_errors
from core.weeks import MAX_YEAR, MIN_YEAR, InvalidWeek, IsoWeek, week_param
from planning import selectors
from planning.access import (
    assignment_for_planning,
    can_plan,
    centre_for_planning,
    van_for_planning,
    visit_for_planning,
)
from planning.forms import (
    AssignForm,
    CancelForm,
    RouteApplyForm,
    VanForm,
    VersionForm,
    VisitAddForm,
    VisitTeamForm,
    VisitTimesForm,
)
from planning.services import assignments, route_order, team, visit_edit
from stops.models import CentreSite
from visits.models import Visit, VisitReport
from visits.services import visits_generate
from visits.upcoming import is_still_to_come
from volunteers.choices import VolunteerRole


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def week_url(centre: CentreSite, week: IsoWeek) -> str:
    return f"{reverse('planning:week', args=[centre.pk])}?week={week}"


def _shown_week(request: HttpRequest, fallback: dt.date) -> IsoWeek:
    """The week the coordinator is looking at (forms carry it), else the visit's week."""
    value = request.POST.get("week") or request.GET.get("week")
    try:
        return IsoWeek.parse(value) if value else IsoWeek.of(fallback)
    except InvalidWeek:
        return IsoWeek.of(fallback)


# The week ---------------------------------------------------------------------


@login_required
@require_GET
def week(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The centre's week as a grid of days and visits, with every warning."""
    centre = centre_for_planning(request.user, centre_id, edit=False)
    plan = selectors.week_plan(centre, week_param(request))
    template = "planning/week.html"
    if is_htmx(request) and request.headers.get("HX-Target") == "week-grid":
        template += "#grid"
    return render(request, template, {"centre": centre, "plan": plan, **_flags(request)})


@login_required
@require_GET
def week_print(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The week on one A4 page, landscape, readable in black and white."""
    centre = centre_for_planning(request.user, centre_id, edit=False)
    plan = selectors.week_plan(centre, week_param(request))
    return render(request, "planning/week_print.html", {"centre": centre, "plan": plan})


@login_required
@require_POST
def generate(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Plan the coming weeks from the patterns (the same service as the command)."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    shown = _shown_week(request, timezone.localdate())
    try:
        result = visits_generate(centres=[centre])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(week_url(centre, shown))
    if result.created:
        messages.success(
            request,
            _("%(count)s visits were planned from the patterns up to %(end)s.")
            % {"count": result.created, "end": result.end.strftime("%d.%m.%Y")},
        )
    else:
        messages.info(request, _("Nothing new: the coming weeks were already planned."))
    return redirect(week_url(centre, shown))


def _flags(request: HttpRequest) -> dict:
    return {"can_edit": can_plan(request.user)}


# The visit editor ---------------------------------------------------------------


def _editor(
    request: HttpRequest,
    centre: CentreSite,
    visit: Visit,
    *,
    status: int = 200,
    message: str = "",
    level: str = "success",
    bound: dict | None = None,
    refresh: bool = False,
) -> HttpResponse:
    """The visit as it is now, its warnings and the forms (``bound`` ones keep errors)."""
    shown = _shown_week(request, visit.date)
    card, plan = selectors.visit_card(centre, visit)
    if card is not None:
        visit = card.visit
    if plan.week != shown and refresh:
        plan = selectors.week_plan(centre, shown)
    initial = {"version": visit.version, "week": str(shown)}
    forms = {
        "move_form": VisitTimesForm(
            initial={
                **initial,
                "date": visit.date,
                "start_time": visit.start_time,
                "end_time": visit.end_time,
            }
        ),
        "cancel_form": CancelForm(initial=initial),
        "team_form": VisitTeamForm(
            initial={
                **initial,
                "places_wanted": visit.places_wanted,
                "needs_driver": ""
                if visit.needs_driver is None
                else str(visit.needs_driver).lower(),
            }
        ),
        "assign_form": AssignForm(initial={**initial, "role": _role_needed(card)}, centre=centre),
        **(bound or {}),
    }
    has_report = getattr(visit, "has_report", None)
    if has_report is None:  # a visit outside the week shown: ask (rare)
        has_report = VisitReport.objects.filter(visit=visit).exists()
    context = {
        "centre": centre,
        "visit": visit,
        "card": card,
        "started": not is_still_to_come(visit.date, visit.start_time),
        "has_report": has_report,
        "plan": plan,
        "shown_week": shown,
        "message": message,
        "level": level,
        "refresh": refresh,
        "roles": VolunteerRole.choices,
        "vans": list(centre.vans.filter(active=True)),
        "visit_map": selectors.map_data(centre, [visit.stop]),
        "candidates": selectors.picker(centre, visit) if can_plan(request.user) else {},
        **forms,
        **_flags(request),
    }
    template = "planning/visit.html"
    if is_htmx(request):
        template = "planning/visit_fragment.html"
    return render(request, template, context, status=status)


def _role_needed(card: selectors.Card | None) -> str:
    """The role the picker suggests: a driver first, then hosts."""
    has_driver = card is not None and any(
        a.role == VolunteerRole.DRIVER for a in card.visit.assignments.all()
    )
    return VolunteerRole.HOST if has_driver else VolunteerRole.DRIVER


@login_required
@require_GET
def visit_detail(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    """One visit: when, where, who, its warnings; the forms to change it."""
    centre = centre_for_planning(request.user, centre_id, edit=False)
    visit = visit_for_planning(request.user, centre, visit_id, edit=False)
    return _editor(request, centre, visit)


def _after_change(request, centre: CentreSite, visit: Visit, message: str) -> HttpResponse:
    if is_htmx(request):
        return _editor(request, centre, visit, message=message, refresh=True)
    card, _plan = selectors.visit_card(centre, visit)
    messages.success(request, message)
    for warning in card.warnings if card else []:
        messages.warning(request, f"{visit.stop.community}: {warning.message}")
    return redirect(week_url(centre, _shown_week(request, visit.date)))


def _refused(request, centre, visit, *, error=None, conflict=None, bound=None) -> HttpResponse:
    """A change that was not made: 409 when someone else saved first, 400 otherwise."""
    if conflict is not None:
        if conflict.visit is None:
            raise BadRequest(conflict.message)
        return _editor(
            request,
            centre,
            conflict.visit,
            status=409,
            message=conflict.message,
            level="error",
            refresh=True,
        )
    text = " ".join(error.messages) if error is not None else _("Please correct the errors below.")
    return _editor(request, centre, visit, status=400, message=text, level="error", bound=bound)


def _visit_change(request, centre_id: int, visit_id: int, form_class, apply, **form_kwargs):
    """Fetch, validate, apply a visit change; shared by the small POST views below."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    visit = visit_for_planning(request.user, centre, visit_id, edit=True)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        return _refused(request, centre, visit, bound={_form_name(form_class): form})
    try:
        message = apply(centre, visit, form.cleaned_data)
    except visit_edit.VisitConflict as conflict:
        return _refused(request, centre, visit, conflict=conflict)
    except ValidationError as error:
        return _refused(request, centre, visit, error=error, bound={_form_name(form_class): form})
    # The services set what they wrote on ``visit``: no need to read it back.
    return _after_change(request, centre, visit, message)


def _form_name(form_class) -> str:
    return {
        VisitTimesForm: "move_form",
        CancelForm: "cancel_form",
        AssignForm: "assign_form",
        VanForm: "van_form",
        VisitTeamForm: "team_form",
    }.get(form_class, "version_form")


@login_required
@require_POST
def visit_move(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    def apply(centre, visit, data):
        unchanged = (visit.date, visit.start_time, visit.end_time) == (
            data["date"],
            data["start_time"],
            data["end_time"],
        )
        visit_edit.visit_move(visit=visit, user=request.user, **data)
        if unchanged:
            return _("Nothing changed: the visit already has that day and time.")
        return _("The visit was moved.")

    return _visit_change(request, centre_id, visit_id, VisitTimesForm, apply)


@login_required
@require_POST
def visit_van(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    """Drive the visit with another of the centre's vans (another centre's van: 404)."""

    def apply(centre, visit, data):
        van = van_for_planning(centre, data["van"])
        visit_edit.visit_set_van(visit=visit, version=data["version"], van=van, user=request.user)
        return _("%(van)s drives to the visit.") % {"van": van.name}

    return _visit_change(request, centre_id, visit_id, VanForm, apply)


@login_required
@require_POST
def visit_team(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    """How many people this one visit wants, and whether a driver (empty: as the stop)."""

    def apply(centre, visit, data):
        team.visit_set_team(
            visit=visit,
            version=data["version"],
            places_wanted=data["places_wanted"],
            needs_driver=data["needs_driver"],
            user=request.user,
        )
        return _("The visit's team was saved.")

    return _visit_change(request, centre_id, visit_id, VisitTeamForm, apply)


@login_required
@require_POST
def visit_cancel(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    def apply(centre, visit, data):
        visit_edit.visit_cancel(
            visit=visit, version=data["version"], reason=data["reason"], user=request.user
        )
        return _("The visit was cancelled.")

    return _visit_change(request, centre_id, visit_id, CancelForm, apply)


@login_required
@require_POST
def visit_restore(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    def apply(centre, visit, data):
        visit_edit.visit_restore(visit=visit, version=data["version"], user=request.user)
        return _("The visit is planned again.")

    return _visit_change(request, centre_id, visit_id, VersionForm, apply)


@login_required
@require_POST
def visit_held(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    """Mark a past visit held (nobody did): its report is then due."""

    def apply(centre, visit, data):
        visit_edit.visit_mark_held(visit=visit, version=data["version"], user=request.user)
        return _("The visit is marked as held.")

    return _visit_change(request, centre_id, visit_id, VersionForm, apply)


@login_required
@require_POST
def assignment_add(request: HttpRequest, centre_id: int, visit_id: int) -> HttpResponse:
    centre = centre_for_planning(request.user, centre_id, edit=True)

    def apply(centre, visit, data):
        assignments.assignment_add(
            visit=visit,
            version=data["version"],
            volunteer=data["volunteer"],
            role=data["role"],
            user=request.user,
        )
        return _("%(name)s was added.") % {"name": data["volunteer"].name}

    return _visit_change(request, centre_id, visit_id, AssignForm, apply, centre=centre)


@login_required
@require_POST
def assignment_remove(
    request: HttpRequest, centre_id: int, visit_id: int, assignment_id: int
) -> HttpResponse:
    def apply(centre, visit, data):
        assignment = assignment_for_planning(request.user, visit, assignment_id)
        assignments.assignment_remove(
            visit=visit, version=data["version"], assignment=assignment, user=request.user
        )
        return _("%(name)s was taken off the visit.") % {"name": assignment.volunteer.name}

    return _visit_change(request, centre_id, visit_id, VersionForm, apply)


@login_required
def visit_add(request: HttpRequest, centre_id: int) -> HttpResponse:
    """An ad hoc visit on a day of the week (the form opens in the editor)."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    if request.method == "POST":
        form = VisitAddForm(request.POST, centre=centre)
        if form.is_valid():
            try:
                visit = visit_edit.visit_add(centre=centre, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _after_change(request, centre, visit, _("The visit was added."))
        status = 400
    else:
        day = request.GET.get("date", "")
        form = VisitAddForm(
            initial={"date": day, "start_time": "10:00", "end_time": "12:00"}, centre=centre
        )
        status = 200
    template = "planning/visit_add.html" + ("#form" if is_htmx(request) else "")
    context = {
        "centre": centre,
        "form": form,
        "shown_week": _shown_week(request, timezone.localdate()),
    }
    return render(request, template, context, status=status)


# The day route -------------------------------------------------------------------


def parse_day(value: str) -> dt.date:
    """A yyyy-mm-dd date in the sane range; 400 with a message otherwise."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(
            _("“%(value)s” is not a date. Write it like 2026-11-24.") % {"value": value}
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadRequest(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return day


@login_required
def route(request: HttpRequest, centre_id: int, day: str) -> HttpResponse:
    """The day's stops in driving order, leg by leg, and a shorter order if there is one."""
    edit = request.method == "POST"
    centre = centre_for_planning(request.user, centre_id, edit=edit)
    date = parse_day(day)
    vans, van = _route_van(request, centre)
    status, error, applied = 200, "", ""
    if edit:
        form = RouteApplyForm(request.POST)
        if not form.is_valid():
            raise BadRequest(" ".join(form.errors.get("order", [])))
        order = form.cleaned_data["order"]
        try:
            changed = route_order.route_apply(
                centre=centre,
                day=date,
                order=[pk for pk, _v in order],
                versions=dict(order),
                user=request.user,
                van=van,
            )
        except visit_edit.VisitConflict as conflict:
            status, error = 409, conflict.message
        except ValidationError as problem:
            status, error = 400, " ".join(problem.messages)
        else:
            message = _("The suggested order was applied: %(count)s visits got new times.") % {
                "count": len(changed)
            }
            if not is_htmx(request):
                messages.success(request, message)
                url = reverse("planning:route", args=[centre.pk, date.isoformat()])
                return redirect(f"{url}?van={van.pk}" if van else url)
            applied = message
    plan = selectors.route_plan(centre, date, van=van)
    template = "planning/route.html" + ("#route" if is_htmx(request) else "")
    context = {
        "centre": centre,
        "plan": plan,
        "route_map": plan.map_data(centre) if plan.current else None,
        "vans": vans,
        "van": van,
        "day": date,
        "week": IsoWeek.of(date),
        "error": error,
        "applied": applied,
        "today": timezone.localdate(),
        "previous_day": date - dt.timedelta(days=1),
        "next_day": date + dt.timedelta(days=1),
        **_flags(request),
    }
    return render(request, template, context, status=status)


def _route_van(request: HttpRequest, centre: CentreSite):
    """
    The centre's active vans and the one whose day is shown: the one asked for (another
    centre's: 404), else the first when there are several, else None (the centre's
    only van drives every visit).
    """
    vans = list(centre.vans.filter(active=True))
    asked = request.POST.get("van") or request.GET.get("van")
    if asked:
        return vans, van_for_planning(centre, asked)
    return vans, (vans[0] if len(vans) > 1 else None)


# Where a coordinator starts ---------------------------------------------------------


@login_required
@require_GET
def my_centres(request: HttpRequest) -> HttpResponse:
    """Straight to the week (or roster) of the user's one centre, or a choice of centres."""
    page = "roster" if request.GET.get("to") == "roster" else "week"
    if role_of(request.user) not in READERS:
        raise Http404
    centres = list(CentreSite.objects.for_user(request.user).filter(active=True))
    if len(centres) == 1:
        return redirect(f"planning:{page}", centre_id=centres[0].pk)
    return render(request, "planning/centres.html", {"centres": centres, "page": page})
