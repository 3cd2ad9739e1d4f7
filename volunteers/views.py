"""
The volunteers' pages on the phone (Today, the report form, home visits, check-in,
profile), the one-time login links, and what makes the app work offline (the
service worker and the web app manifest, served at the root scope).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from sesame import settings as sesame_settings

from core.access import PLANNERS, REPORTERS, may_log_in_by_link, role_of
from core.fields import has_other_digits
from core.forms import add_service_errors
from stops.models import CentreSite
from visits import contract
from visits.models import HomeVisit, ServiceType, Visit
from visits.services import Outcome, ReportConflict
from volunteers import bundle, offline, reporting
from volunteers.choices import VolunteerRole
from volunteers.forms import HomeVisitForm, form_data_from_json, unknown_referrals
from volunteers.home_visits import HomeVisitConflict, home_visit_submit
from volunteers.models import Assignment, Volunteer
from volunteers.payloads import (
    BadJson,
    detail,
    form_errors,
    json_body,
    login_required_or_401,
    validation_errors,
    wants_json,
)
from volunteers.people_selectors import expiring_qualifications
from volunteers.selectors import centre_volunteers, volunteer_of, volunteer_shifts
from volunteers.services import (
    assignment_check_in,
    login_link_send,
    volunteer_reset_calendar_token,
)


def _after_report(request: HttpRequest) -> str:
    return reverse("today") if volunteer_of(request.user) else reverse("home")


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The volunteer's home: today's shifts, the coming week, and the phone's queue."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/not_volunteer.html")
    shifts = volunteer_shifts(volunteer=volunteer, user=request.user, today=timezone.localdate())
    return render(request, "volunteers/today.html", {"volunteer": volunteer, "shifts": shifts})


@login_required_or_401
@require_GET
def today_bundle(request: HttpRequest) -> HttpResponse:
    """
    The phone's kept data for Today and the report forms (volunteers.bundle), as
    JSON with its version as ETag: a phone that has this version gets 304.
    """
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return detail(_("This is for volunteers."), 404)
    content = bundle.phone_bundle(
        volunteer=volunteer, user=request.user, today=timezone.localdate()
    )
    etag = f'"{content["version"]}"'
    asked = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    # "*": the service worker asks only who is logged in (X-Drivein-User).
    if etag in asked or "*" in asked:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(content, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["X-Drivein-User"] = str(request.user.pk)
    # Personal, and always asked again: the phone keeps it itself (static/js/kept.js).
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def report_form_shell(request: HttpRequest) -> HttpResponse:
    """
    The report form without a visit: the service worker keeps it once and shows it
    for any kept shift's form without signal; the phone fills in the visit from
    the bundle (static/js/forms.js).
    """
    return reporting.shell_page(request)


def _visit_or_404(request: HttpRequest, pk: int) -> Visit:
    return get_object_or_404(Visit.objects.for_user(request.user).select_related("stop"), pk=pk)


@login_required_or_401
@require_http_methods(["GET", "POST"])
def visit_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form; a POST of JSON is the phone's queue (the report contract)."""
    if request.method == "POST" and wants_json(request):
        return _visit_report_json(request, pk)
    visit = _visit_or_404(request, pk)
    page = reporting.ReportPage(request, visit)
    if request.method == "GET":
        return page.render()
    if page.read_only:
        raise PermissionDenied(_("Leadership reads the reports but does not write them."))
    form = page.bound_form(request.POST)
    if not form.is_valid():
        return page.render(form, status=400)
    try:
        result = page.submit(form)
    except ReportConflict as conflict:
        return page.render(form, conflict=conflict, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return page.render(form, status=400)
    messages.success(request, reporting.success_message(result, visit))
    return redirect(_after_report(request))


def _visit_report_json(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        visit = _visit_or_404(request, pk)
        payload = json_body(request)
    except Http404:
        return detail(_("The visit does not exist, or it is not yours to report."), 404)
    except BadJson as error:
        return detail(error, 400)
    page = reporting.ReportPage(request, visit)
    form, refused = _bind_json(_renamed_legacy_fields(payload), page.bound_form)
    if refused:
        return refused
    try:
        result = page.submit(form)
    except ReportConflict as conflict:
        return JsonResponse(contract.conflict_body(conflict, request=request), status=409)
    except ValidationError as error:
        return detail(error.messages[0], 400, errors=validation_errors(error))
    except PermissionDenied as error:
        return detail(str(error) or _("You may not do this."), 403)
    body, status = contract.submitted_body(result, request=request)
    return JsonResponse(body, status=status)


def _bind_json(payload, make_form) -> tuple[object, JsonResponse | None]:
    """
    The phone's JSON as a bound, valid form, or the 400 that says what is wrong
    (the shape, an unknown service type, or the form's own field errors).
    """
    data, shape_errors = form_data_from_json(payload)
    if data is None:
        return None, detail(shape_errors["__all__"][0], 400)
    form = make_form(data)
    unknown = unknown_referrals(data, form)
    if unknown:
        shape_errors["referrals"] = [_("Unknown service type: %(ids)s") % {"ids": unknown}]
    if not form.is_valid() or shape_errors:
        return None, form_errors(form, shape_errors)
    return form, None


def _renamed_legacy_fields(payload):
    """
    Before the phone spoke the API's field names it sent the replaced version as
    ``replaces_version``; such items may still wait in a phone's queue.
    """
    if isinstance(payload, dict) and "replaces_version" in payload and "version" not in payload:
        payload = {**payload, "version": payload["replaces_version"]}
        del payload["replaces_version"]
    return payload


def _home_visit_form(request: HttpRequest, data=None) -> HomeVisitForm:
    return HomeVisitForm(
        data,
        centres=CentreSite.objects.for_user(request.user),
        service_types=ServiceType.objects.filter(active=True),
        initial={"submission_id": uuid.uuid4(), "centre": _home_centre_id(request)},
    )


def _home_centre_id(request: HttpRequest) -> int | None:
    volunteer = volunteer_of(request.user)
    return volunteer.home_centre_id if volunteer else None


@login_required_or_401
@require_http_methods(["GET", "POST"])
def home_visit_new(request: HttpRequest) -> HttpResponse:
    """Log a home visit (grusvejstur); the phone's queue POSTs JSON here too."""
    if role_of(request.user) not in REPORTERS:
        if wants_json(request):
            return detail(_("Only volunteers and coordinators log home visits."), 403)
        raise PermissionDenied(_("Only volunteers and coordinators log home visits."))
    if request.method == "POST" and wants_json(request):
        return _home_visit_json(request)
    form = _home_visit_form(request, request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            _submit_home_visit(request, form)
        except ValidationError as error:
            add_service_errors(form, error)
        except HomeVisitConflict as conflict:
            # Shown with the form under a new submission id, so that sending it
            # again logs it as a new home visit.
            data = request.POST.copy()
            data["submission_id"] = str(uuid.uuid4())
            form = _home_visit_form(request, data)
            form.is_valid()
            form.add_error(None, conflict.message)
            status = 409
        else:
            messages.success(request, _("Thank you! The home visit is logged."))
            return redirect(_after_report(request))
    return render(request, "volunteers/home_visit_form.html", {"form": form}, status=status)


def _submit_home_visit(request: HttpRequest, form: HomeVisitForm):
    return home_visit_submit(
        user=request.user,
        submission_id=form.cleaned_data["submission_id"],
        data=form.home_visit_data(),
    )


def _home_visit_json(request: HttpRequest) -> JsonResponse:
    try:
        payload = json_body(request)
    except BadJson as error:
        return detail(error, 400)
    form, refused = _bind_json(payload, lambda data: _home_visit_form(request, data))
    if refused:
        return refused
    try:
        home_visit, outcome = _submit_home_visit(request, form)
    except ValidationError as error:
        return detail(error.messages[0], 400, errors=validation_errors(error))
    except HomeVisitConflict as conflict:
        stored = conflict.home_visit
        body = _home_visit_json_body(stored, Outcome.DUPLICATE) if stored else None
        return JsonResponse({"detail": conflict.message, "home_visit": body}, status=409)
    return JsonResponse(
        _home_visit_json_body(home_visit, outcome),
        status=201 if outcome == Outcome.CREATED else 200,
    )


def _home_visit_json_body(home_visit: HomeVisit, outcome: Outcome) -> dict:
    return {
        "id": home_visit.pk,
        "centre": home_visit.centre_id,
        "date": home_visit.date.isoformat(),
        "duration_minutes": home_visit.duration_minutes,
        "note": home_visit.note,
        "submission_id": str(home_visit.submission_id),
        "referrals": {
            str(pk): count
            for pk, count in home_visit.referrals.values_list("service_type", "count")
        },
        "outcome": outcome,
    }


@login_required_or_401
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check in to my shift (for volunteer hours); only my own assignment; idempotent."""
    as_json = wants_json(request)
    try:
        visit = _visit_or_404(request, pk)
        volunteer = volunteer_of(request.user)
        if volunteer is None:
            raise Assignment.DoesNotExist
        at = _checked_in_at(request) if as_json else None
        assignment = assignment_check_in(visit=visit, volunteer=volunteer, at=at)
    except (Http404, Assignment.DoesNotExist):
        if as_json:
            return detail(_("You are not on the team of this visit."), 404)
        raise Http404 from None
    except (ValidationError, BadJson) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        if as_json:
            return detail(message, 400)
        messages.error(request, message)
        return redirect("today")
    if as_json:
        return JsonResponse({"visit": visit.pk, "checked_in_at": assignment.checked_in_at})
    messages.success(request, _("You are checked in. Have a good café!"))
    return redirect("today")


# A phone's clock may run a little fast (the service then takes now); a time
# further ahead than this cannot be a tap that happened.
CHECK_IN_CLOCK_AHEAD = dt.timedelta(days=1)


def _checked_in_at(request: HttpRequest) -> dt.datetime | None:
    """
    When the phone says the volunteer tapped "check in": None when it does not
    say. Raises ValidationError for anything but an ISO date and time with its
    UTC offset that can have happened.
    """
    payload = json_body(request)
    value = payload.get("at") if isinstance(payload, dict) else None
    if value is None:
        return None
    try:
        readable = isinstance(value, str) and not has_other_digits(value)
        parsed = parse_datetime(value) if readable else None
        if parsed is not None and parsed.utcoffset() is not None:
            # Out of range once in UTC (year 1 or 9999 with an offset) raises too.
            parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        raise ValidationError(
            _(
                "The check-in time must be a date and time with its time zone, "
                "like 2026-11-24T10:05:00+01:00."
            )
        )
    if parsed > timezone.now() + CHECK_IN_CLOCK_AHEAD:
        raise ValidationError(_("The check-in time lies in the future."))
    return parsed


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """The volunteer's own details and their private calendar link."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/not_volunteer.html")
    calendar_path = reverse("public:volunteer_feed", args=[volunteer.calendar_token])
    return render(
        request,
        "volunteers/profile.html",
        {
            "volunteer": volunteer,
            "role_labels": [VolunteerRole(role).label.lower() for role in volunteer.roles],
            "calendar_url": request.build_absolute_uri(calendar_path),
        },
    )


@login_required
@require_POST
def calendar_token_reset(request: HttpRequest) -> HttpResponse:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    volunteer_reset_calendar_token(volunteer=volunteer)
    messages.success(
        request, _("You have a new calendar link. The old one no longer works: add the new one.")
    )
    return redirect("profile")


@never_cache
@require_http_methods(["GET", "POST"])
def link_login(request: HttpRequest) -> HttpResponse:
    """
    A one-time login link. GET only shows a button: message apps open links to
    make previews, and that must not use up the link. The POST logs in.
    """
    token = request.POST.get("sesame") or request.GET.get(sesame_settings.TOKEN_NAME, "")
    user = authenticate(request, sesame=token) if token else None
    if user is None or not may_log_in_by_link(user):
        return render(request, "volunteers/link_invalid.html", status=403)
    if request.method == "GET":
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("home")
        name = Volunteer.objects.filter(user=user).values_list("name", flat=True).first()
        context = {"name": name or user.get_full_name() or user.username, "token": token}
        return render(request, "volunteers/link_login.html", context)
    login(request, user)
    return redirect("home")


def _centre_for_coordinator(request: HttpRequest, pk: int) -> CentreSite:
    return get_object_or_404(CentreSite.objects.editable_by(request.user), pk=pk)


@login_required
@require_GET
def centre_volunteer_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator's list of the centre's volunteers, with 'send login link'."""
    centre = _centre_for_coordinator(request, pk)
    link = request.session.pop("login_link", None)
    today = timezone.localdate()
    context = {"centre": centre, "volunteers": centre_volunteers(centre, today), "link": link}
    context["expiring"] = expiring_qualifications([centre.pk], today)  # docs/people.md
    context["today"] = today
    return render(request, "volunteers/centre_volunteers.html", context)


@login_required
@require_POST
def send_login_link(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    centre = _centre_for_coordinator(request, pk)
    volunteer = get_object_or_404(Volunteer.objects.filter(home_centre=centre), pk=volunteer_pk)
    try:
        link = login_link_send(volunteer=volunteer, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        request.session["login_link"] = {
            "name": volunteer.name,
            "phone": volunteer.phone,
            "url": link.url,
            "emailed_to": link.emailed_to,
        }
    return redirect("centre_volunteers", pk=centre.pk)


@login_required
@require_GET
def my_centres_volunteers(request: HttpRequest) -> HttpResponse:
    """The coordinator's way in from the menu: their centre's list, or a choice of centres."""
    # Like the lists it leads to: only planners; for everyone else it does not exist.
    if role_of(request.user) not in PLANNERS:
        raise Http404
    centres = list(CentreSite.objects.editable_by(request.user).active())
    if len(centres) == 1:
        return redirect("centre_volunteers", pk=centres[0].pk)
    return render(request, "volunteers/choose_centre.html", {"centres": centres})


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the phone shows for a page it has not kept, without signal."""
    return render(request, "volunteers/offline.html")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that it controls every page."""
    source = offline.service_worker_source()
    etag = offline.etag_of(source)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(source, content_type="text/javascript")
    # The browser asks each time whether there is a new version (no-cache), and
    # gets a 304 of a few bytes when there is not, not the whole worker again.
    response["Cache-Control"] = "no-cache"
    response["ETag"] = etag
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        offline.manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
