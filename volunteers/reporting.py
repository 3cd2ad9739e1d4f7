"""
The report form page of one visit: which form it shows (new, correction, or the
stored report read-only), what it prefills, and how a submission reaches the
report contract (visits.services.report_submit).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Role, can_report, role_of
from core.weeks import IsoWeek
from visits.choices import VisitStatus
from visits.models import COUNT_FIELDS, ServiceType, Visit, VisitReport
from visits.ranges import ranges_for_stops
from visits.services import (
    REPORT_DATA_FIELDS,
    VOLUNTEER_EDIT_WINDOW,
    Outcome,
    ReportConflict,
    SubmitResult,
    report_can_replace,
    report_submit,
)
from volunteers.forms import ReportForm
from volunteers.people_services import attendance_after_report


@dataclass(frozen=True)
class Row:
    label: str
    stored: object
    mine: object

    @property
    def differs(self) -> bool:
        return self.stored != self.mine


class ReportPage:
    """Everything the report page of one visit needs, in a handful of queries."""

    def __init__(self, request: HttpRequest, visit: Visit):
        self.request = request
        self.visit = visit
        self.report = (
            VisitReport.objects.filter(visit=visit)
            .select_related("submitted_by__volunteer")
            .first()
        )
        self.stored_referrals = (
            dict(self.report.referrals.values_list("service_type_id", "count"))
            if self.report
            else {}
        )
        self.can_replace = bool(
            self.report and report_can_replace(user=request.user, report=self.report)
        )
        self.service_types = list(
            ServiceType.objects.filter(Q(active=True) | Q(pk__in=list(self.stored_referrals)))
        )
        self.team_size = visit.assignments.count()
        # Leadership reads every report and writes none: no form, only the figures.
        self.read_only = not can_report(request.user)

    @property
    def report_locked(self) -> bool:
        """A stored report this user may no longer correct: shown, not offered as a form."""
        return self.report is not None and not self.can_replace

    @property
    def submitter(self) -> str:
        """Who sent the stored report: the volunteer's name, else the login's ("" if unknown)."""
        return submitter_name(self.report)

    @property
    def suggested_minutes(self) -> int:
        """The visit's length times the people on the shift (at least one)."""
        return self.visit.duration_minutes * max(self.team_size, 1)

    def _initial(self) -> dict:
        initial: dict = {"submission_id": uuid.uuid4()}
        if self.report is not None:
            initial.update({name: getattr(self.report, name) for name in COUNT_FIELDS})
            initial["volunteer_minutes"] = self.report.volunteer_minutes
            initial["note"] = self.report.note
            initial["version"] = self.report.version
        else:
            initial["volunteer_minutes"] = self.suggested_minutes
        return initial

    def _form(self, data=None, initial=None) -> ReportForm:
        return ReportForm(
            data,
            initial=initial,
            service_types=self.service_types,
            referrals=self.stored_referrals,
        )

    def bound_form(self, data) -> ReportForm:
        return self._form(data)

    def submit(self, form: ReportForm) -> SubmitResult:
        result = report_submit(
            visit=self.visit,
            user=self.request.user,
            submission_id=form.cleaned_data["submission_id"],
            data=form.report_data(),
            replaces_version=form.cleaned_data["version"],
            outliers_confirmed=form.cleaned_data["outliers_confirmed"],
        )
        attendance_after_report(visit=self.visit)  # no-shows of a past visit: docs/people.md
        return result

    def render(
        self,
        form: ReportForm | None = None,
        *,
        conflict: ReportConflict | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "visit": self.visit,
            "report": self.report,
            "can_replace": self.can_replace,
            "report_locked": self.report_locked,
            "is_future": self.visit.date > timezone.localdate(),
            "is_cancelled": self.visit.status == VisitStatus.CANCELLED,
            "edit_until": self.report.submitted_at + VOLUNTEER_EDIT_WINDOW if self.report else None,
            "team_size": max(self.team_size, 1),
            "suggested_minutes": self.suggested_minutes,
            "stored_referrals": self._stored_referral_rows(),
            "read_only": self.read_only,
            "submitter": self.submitter,
            "back": self._back(),
            "today_url": reverse("today"),
            "ranges_json": json.dumps(self._ranges()),
        }
        if conflict is not None and conflict.report is None:
            # The submission id is another visit's: nothing to compare; sending the
            # form again sends it as a new submission.
            context["conflict"] = conflict
            form = self._resubmittable(form, None)
        elif conflict is not None:
            context["conflict"] = conflict
            context["conflict_rows"] = self._conflict_rows(conflict.report, form)
            context["conflict_submitter"] = submitter_name(conflict.report)
            context["conflict_can_replace"] = report_can_replace(
                user=self.request.user, report=conflict.report
            )
            form = self._resubmittable(form, conflict.report)
        context["form"] = form or self._form(initial=self._initial())
        return render(self.request, "volunteers/report_form.html", context, status=status)

    def _ranges(self) -> dict:
        """The stop's usual range per figure, for the form's warning (visits/ranges.py)."""
        stop = self.visit.stop
        found = ranges_for_stops({stop.pk: stop.centre_id}, today=timezone.localdate())
        return {name: got.as_json() for name, got in found[stop.pk].items()}

    def _back(self) -> tuple[str, str]:
        """A volunteer goes back to Today; everyone else to the visit's week."""
        if role_of(self.request.user) == Role.VOLUNTEER:
            return reverse("today"), _("Today")
        week = IsoWeek.of(self.visit.date)
        url = reverse("planning:week", args=[self.visit.stop.centre_id])
        return f"{url}?week={week}", _("Back to week %(week)s") % {"week": week.week}

    def _stored_referral_rows(self) -> list[tuple[str, int]]:
        names = {t.pk: t.display_name for t in self.service_types}
        return [(names.get(pk, "?"), count) for pk, count in self.stored_referrals.items()]

    def _resubmittable(self, form: ReportForm, stored: VisitReport | None) -> ReportForm:
        """The same numbers, naming the stored version if any, under a new submission id."""
        data = form.data.copy()
        if stored is not None:
            data["version"] = stored.version
        data["submission_id"] = str(uuid.uuid4())
        return self._form(data)

    def _conflict_rows(self, stored: VisitReport, form: ReportForm) -> list[Row]:
        rows = [
            Row(str(form[name].label), getattr(stored, name), form.cleaned_data[name])
            for name in REPORT_DATA_FIELDS
        ]
        stored_referrals = dict(stored.referrals.values_list("service_type_id", "count"))
        mine = form.cleaned_referrals()
        for service_type in self.service_types:
            pk = service_type.pk
            if stored_referrals.get(pk) or mine.get(pk):
                rows.append(
                    Row(service_type.display_name, stored_referrals.get(pk, 0), mine.get(pk, 0))
                )
        return rows


def submitter_name(report: VisitReport | None) -> str:
    """Who sent a report: the volunteer's name, else the login's ("" if unknown)."""
    user = report.submitted_by if report else None
    if user is None:
        return ""
    # A login without a volunteer profile raises an AttributeError here.
    volunteer = getattr(user, "volunteer", None)
    return (volunteer.name if volunteer else "") or user.get_full_name() or user.username


def success_message(result: SubmitResult, visit: Visit) -> str:
    place = visit.stop.community
    if result.outcome == Outcome.REPLACED:
        return _("The report for %(place)s is corrected.") % {"place": place}
    if result.outcome == Outcome.DUPLICATE:
        return _("The report for %(place)s had already arrived.") % {"place": place}
    return _("Thank you! The report for %(place)s is sent.") % {"place": place}


def shell_page(request: HttpRequest) -> HttpResponse:
    """The report form of no visit in particular, for the phone to fill in from its bundle."""
    form = ReportForm(
        initial={"submission_id": uuid.uuid4()},
        service_types=list(ServiceType.objects.filter(active=True)),
    )
    context = {"shell": True, "form": form, "back": (reverse("today"), _("Today"))}
    return render(request, "volunteers/report_form.html", context)
