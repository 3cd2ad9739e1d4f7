"""
The coordinator's pages for managing their volunteers (add, edit, deactivate,
qualifications, absences, attendance, history), and the volunteer's own absences
on the phone. Thin: fetch through the access helpers (404 outside one's reach),
check the form, call volunteers.people_services, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from stops.models import CentreSite
from volunteers import people_services as services
from volunteers.manage_forms import AbsenceForm, AttendanceForm, QualificationForm, VolunteerForm
from volunteers.models import Absence, Assignment, Qualification, Volunteer
from volunteers.people_selectors import current_absences, volunteer_page, with_people_facts
from volunteers.selectors import volunteer_of


def _centre(request: HttpRequest, pk: int) -> CentreSite:
    """The coordinator's centre (admins reach all); anyone else gets 404."""
    return get_object_or_404(CentreSite.objects.editable_by(request.user), pk=pk)


def _volunteer(centre: CentreSite, volunteer_pk: int) -> Volunteer:
    return get_object_or_404(Volunteer.objects.filter(home_centre=centre), pk=volunteer_pk)


def _inside_message(absence: Absence) -> str | None:
    inside = list(services.assignments_inside(absence))
    if not inside:
        return None
    places = ", ".join(
        f"{a.visit.stop.community} {date_format(a.visit.date, 'j. b')}" for a in inside
    )
    return _(
        "%(name)s is on %(count)s visit(s) in that time: %(places)s. The week shows it to re-plan."
    ) % {"name": absence.volunteer.name, "count": len(inside), "places": places}


# The coordinator's pages ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_new(request: HttpRequest, pk: int) -> HttpResponse:
    centre = _centre(request, pk)
    form = VolunteerForm(request.POST or None, initial={"is_host": True, "active": True})
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(
                centre=centre, fields=form.service_fields(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": volunteer.name})
            return redirect("volunteer_manage", pk=centre.pk, volunteer_pk=volunteer.pk)
    status = 400 if form.is_bound else 200
    context = {"centre": centre, "form": form, "volunteer": None}
    return render(request, "volunteers/manage_form.html", context, status=status)


@login_required
@require_GET
def volunteer_manage(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    """One volunteer: details, qualifications, absences, attendance, history."""
    centre = _centre(request, pk)
    today = timezone.localdate()
    volunteer = get_object_or_404(
        with_people_facts(Volunteer.objects.filter(home_centre=centre), today).select_related(
            "user"
        ),
        pk=volunteer_pk,
    )
    context = {
        "centre": centre,
        "page": volunteer_page(volunteer, today),
        "absence_form": AbsenceForm(),
        "qualification_form": QualificationForm(),
        "today": today,
    }
    return render(request, "volunteers/manage_volunteer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    form = VolunteerForm(request.POST or None, initial=VolunteerForm.initial_of(volunteer))
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(
                volunteer=volunteer, fields=form.service_fields(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("volunteer_manage", pk=centre.pk, volunteer_pk=volunteer.pk)
    status = 400 if form.is_bound else 200
    context = {"centre": centre, "form": form, "volunteer": volunteer}
    return render(request, "volunteers/manage_form.html", context, status=status)


def _back(centre: CentreSite, volunteer: Volunteer) -> HttpResponse:
    return redirect("volunteer_manage", pk=centre.pk, volunteer_pk=volunteer.pk)


def _refused(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def volunteer_absence_add(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence = services.absence_add(
                volunteer=volunteer, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The absence is recorded."))
            inside = _inside_message(absence)
            if inside:
                messages.warning(request, inside)
            return _back(centre, volunteer)
    return _manage_again(request, centre, volunteer, absence_form=form)


def _manage_again(request: HttpRequest, centre, volunteer, **forms) -> HttpResponse:
    """The volunteer's page again with the refused form and its errors (400)."""
    today = timezone.localdate()
    volunteer = with_people_facts(Volunteer.objects.filter(pk=volunteer.pk), today).get()
    context = {
        "centre": centre,
        "page": volunteer_page(volunteer, today),
        "absence_form": forms.get("absence_form", AbsenceForm()),
        "qualification_form": forms.get("qualification_form", QualificationForm()),
        "today": today,
    }
    return render(request, "volunteers/manage_volunteer.html", context, status=400)


@login_required
@require_POST
def volunteer_absence_delete(
    request: HttpRequest, pk: int, volunteer_pk: int, absence_pk: int
) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    absence = get_object_or_404(volunteer.absences, pk=absence_pk)
    services.absence_delete(absence=absence, user=request.user)
    messages.success(request, _("The absence is deleted."))
    return _back(centre, volunteer)


@login_required
@require_POST
def volunteer_qualification_set(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    form = QualificationForm(request.POST)
    if form.is_valid():
        try:
            services.qualification_set(volunteer=volunteer, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The qualification is saved."))
            return _back(centre, volunteer)
    return _manage_again(request, centre, volunteer, qualification_form=form)


@login_required
@require_POST
def volunteer_qualification_delete(
    request: HttpRequest, pk: int, volunteer_pk: int, qualification_pk: int
) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    qualification = get_object_or_404(Qualification, volunteer=volunteer, pk=qualification_pk)
    services.qualification_delete(qualification=qualification, user=request.user)
    messages.success(request, _("The qualification is deleted."))
    return _back(centre, volunteer)


@login_required
@require_POST
def volunteer_attendance(
    request: HttpRequest, pk: int, volunteer_pk: int, assignment_pk: int
) -> HttpResponse:
    centre = _centre(request, pk)
    volunteer = _volunteer(centre, volunteer_pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("visit"), volunteer=volunteer, pk=assignment_pk
    )
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _manage_again(request, centre, volunteer)
    try:
        services.attendance_correct(
            assignment=assignment, attendance=form.cleaned_data["attendance"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The attendance is corrected."))
    return _back(centre, volunteer)


# The volunteer's own absences (on the phone) --------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_absences(request: HttpRequest) -> HttpResponse:
    """My absences: the list, and a form to add one (phone-sized)."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        if request.method == "POST":
            raise Http404
        return render(request, "volunteers/not_volunteer.html")
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            absence = services.absence_add(
                volunteer=volunteer, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your absence is recorded."))
            inside = services.assignments_inside(absence).count()
            if inside:
                messages.warning(
                    request,
                    _(
                        "You are on %(count)s visit(s) in that time. Your coordinator sees it "
                        "and finds someone else; tell them if it is urgent."
                    )
                    % {"count": inside},
                )
            return redirect("my_absences")
    today = timezone.localdate()
    context = {"volunteer": volunteer, "form": form, "absences": current_absences(volunteer, today)}
    return render(
        request, "volunteers/my_absences.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_POST
def my_absence_delete(request: HttpRequest, absence_pk: int) -> HttpResponse:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    absence = get_object_or_404(volunteer.absences, pk=absence_pk)
    services.absence_delete(absence=absence, user=request.user)
    messages.success(request, _("The absence is deleted."))
    return redirect("my_absences")
