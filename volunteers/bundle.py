"""
What the phone keeps to draw Today and the report forms without signal: one JSON
bundle of the volunteer's shifts (last week's that still lack a report, today's
and the coming week's, each with its stop, team and report state) and the report
form's fields and limits. Its version is a hash of its content, so the phone asks
with ``If-None-Match`` and gets a 304 of a few bytes when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.translation import gettext as _

from stops.maps import maps_links
from visits.choices import VisitStatus
from visits.models import COUNT_FIELDS, ServiceType, Visit
from visits.ranges import StopRanges, ranges_for_stops
from volunteers.forms import ReportForm
from volunteers.models import Volunteer
from volunteers.selectors import volunteer_shifts


def _team(visit: Visit, volunteer: Volunteer) -> list[dict]:
    return [
        {
            "name": assignment.volunteer.name,
            "role": assignment.get_role_display().lower(),
            "me": assignment.volunteer_id == volunteer.pk,
        }
        for assignment in visit.assignments.all()
    ]


def _report(visit: Visit) -> dict | None:
    report = getattr(visit, "report", None)
    if report is None:
        return None
    return {
        "version": report.version,
        "canEdit": visit.can_edit_report,
        **{name: getattr(report, name) for name in (*COUNT_FIELDS, "volunteer_minutes")},
        "note": report.note,
        "referrals": [
            {"service_type": r.service_type_id, "count": r.count} for r in report.referrals.all()
        ],
    }


def _reportable(visit: Visit) -> dict:
    """What the phone needs to draw and report any café: when, where, its team's minutes."""
    team_size = max(len(visit.assignments.all()), 1)
    return {
        "id": visit.pk,
        "date": visit.date,
        "start": visit.start_time.strftime("%H:%M"),
        "end": visit.end_time.strftime("%H:%M"),
        "community": visit.stop.community,
        "teamSize": team_size,
        "durationMinutes": visit.duration_minutes,
        "suggestedMinutes": visit.duration_minutes * team_size,
        "reportUrl": reverse("visit_report", args=[visit.pk]),
        "apiReportUrl": reverse("api:visit-report", args=[visit.pk]),
    }


def _shift(visit: Visit, volunteer: Volunteer) -> dict:
    stop = visit.stop
    return {
        **_reportable(visit),
        "cancelled": visit.status == VisitStatus.CANCELLED,
        "cancelReason": visit.cancel_reason,
        "venue": stop.venue_name,
        "address": stop.address,
        "accessNotes": stop.access_notes,
        "coverage": stop.coverage,
        "maps": maps_links(stop),
        "team": _team(visit, volunteer),
        "checkedInAt": visit.my_assignment.checked_in_at,
        "report": _report(visit),
        "checkInUrl": reverse("check_in", args=[visit.pk]),
        "apiCheckInUrl": reverse("api:visit-check-in", args=[visit.pk]),
        # The answer to the shift (shifts/), answered offline through the queue too.
        "answer": visit.my_assignment.answer,
        "answerLate": visit.my_assignment.answer_late,
        "apiAnswerUrl": reverse("api:shift-answer", args=[visit.my_assignment.pk]),
    }


def drawing_texts() -> dict[str, str]:
    """The words Today is drawn with on the phone, in the volunteer's language."""
    return {
        "updatedToday": _("Updated today at %(time)s"),
        "updatedYesterday": _("Updated yesterday at %(time)s"),
        "updatedOn": _("Updated %(date)s at %(time)s"),
        "myShiftsToday": _("My shifts today"),
        "noReportYet": _("No report yet"),
        "writeReport": _("Write report"),
        "correctReport": _("Correct report"),
        "seeReport": _("See report"),
        "cancelled": _("Cancelled"),
        "checkIn": _("Check in"),
        "iAmComing": _("I am coming"),
        "iCannotCome": _("I cannot come"),
        "youAreComing": _("You are coming"),
        "youCannotCome": _("You cannot come"),
        "notAnsweredYet": _("Not answered yet"),
        "onTheTeam": _("On the team:"),
        "you": _("you"),
        "peopleMet": _("%(count)s people met"),
        "noShiftToday": _("You have no shift today."),
        "noShiftsComing": _("No shifts in the coming 7 days."),
        "missingHeading": _("Still missing a report"),
        "comingHeading": _("The coming 7 days"),
        "noSignalHere": _("No signal here: the report is kept on the phone and sent later."),
        "weakSignalHere": _(
            "Weak signal here: the report is kept on the phone if it cannot be sent."
        ),
        "accessNotes": _("Access"),
        "openMap": _("Open in maps"),
    }


def _form_spec(service_types: list[ServiceType]) -> dict:
    """The report form's fields as the phone draws and checks them (the form's own limits)."""
    form = ReportForm(service_types=service_types)
    return {
        "counts": [
            {"name": name, "label": str(form[name].label), "max": form.fields[name].max_value}
            for name in (*COUNT_FIELDS, "volunteer_minutes")
        ],
        "referrals": [
            {"id": t.pk, "label": t.display_name, "max": form.fields[f"referral_{t.pk}"].max_value}
            for t in service_types
        ],
        "noteMax": form.fields["note"].max_length,
    }


def phone_bundle(*, volunteer: Volunteer, user: AbstractBaseUser, today: dt.date) -> dict:
    """
    The bundle (its ``version`` a hash of the rest). Seven queries: the shifts with
    their stops and reports, their teams, the reports' referrals, the other cafés of
    the centre today with their teams (a stand-in may report them), the usual ranges
    of their stops (visits/ranges.py, so the form warns offline), the service types.
    """
    shifts = volunteer_shifts(volunteer=volunteer, user=user, today=today, with_referrals=True)
    mine = [*shifts.awaiting_report, *shifts.today_visits, *shifts.upcoming]
    ranges = ranges_for_stops(
        {visit.stop_id: visit.stop.centre_id for visit in [*mine, *shifts.others_today]},
        today=today,
    )
    service_types = list(ServiceType.objects.filter(active=True))
    content = {
        "userId": user.pk,
        "serverDate": today,
        "shifts": [
            {**_shift(visit, volunteer), "ranges": _ranges(ranges, visit)} for visit in mine
        ],
        "othersToday": [
            {**_other(visit), "ranges": _ranges(ranges, visit)} for visit in shifts.others_today
        ],
        "form": _form_spec(service_types),
        "texts": drawing_texts(),
    }
    encoded = json.dumps(content, cls=DjangoJSONEncoder, sort_keys=True)
    content["version"] = hashlib.sha256(encoded.encode()).hexdigest()[:20]
    return content


def _ranges(ranges: dict[int, StopRanges], visit: Visit) -> dict:
    """The stop's usual range per figure, for the report form's warning (visits/ranges.py)."""
    return {name: got.as_json() for name, got in ranges.get(visit.stop_id, {}).items()}


def _other(visit: Visit) -> dict:
    """Another café of the centre today: enough to report it as a stand-in."""
    return {**_reportable(visit), "reported": hasattr(visit, "report")}
