"""
Volunteers' personal data under the GDPR: the export a volunteer downloads, the
anonymisation when a volunteer leaves, and the list of long-inactive volunteers to
review. Participants are never stored, so volunteers are the only people here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.db.models import DateField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from visits.models import HomeVisit, VisitReport
from volunteers.models import Absence, Assignment, Qualification, Volunteer, new_calendar_token

# Fields of the volunteer record that say who someone is; wiped on anonymisation,
# also in the record's history.
PERSONAL_FIELDS = {"name": "", "phone": "", "email": "", "notes": "", "consent_date": None}
INACTIVE_AFTER = dt.timedelta(days=2 * 365)
_LONG_AGO = dt.date(1900, 1, 1)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def volunteer_data(*, volunteer: Volunteer) -> dict[str, Any]:
    """Everything Drive-in holds about a volunteer, as plain JSON-ready data."""
    user = volunteer.user
    assignments = (
        Assignment.objects.filter(volunteer=volunteer)
        .select_related("visit__stop__centre")
        .order_by("visit__date", "visit__start_time")
    )
    home_visits = HomeVisit.objects.filter(volunteer=volunteer).select_related("centre")
    reports = (
        VisitReport.objects.filter(submitted_by=user).select_related("visit__stop")
        if user
        else VisitReport.objects.none()
    )
    history = volunteer.history.order_by("history_date")
    return {
        "exported_at": _iso(timezone.now()),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        }
        if user
        else None,
        "volunteer": {
            "name": volunteer.name,
            "phone": volunteer.phone,
            "email": volunteer.email,
            "home_centre": volunteer.home_centre.name,
            "roles": [str(role) for role in volunteer.roles],
            "available_weekdays": volunteer.weekdays,
            "consent_date": _iso(volunteer.consent_date),
            "notes": volunteer.notes,
            "active": volunteer.active,
            "created_at": _iso(volunteer.created_at),
        },
        "assignments": [
            {
                "date": _iso(a.visit.date),
                "start_time": _iso(a.visit.start_time),
                "end_time": _iso(a.visit.end_time),
                "centre": a.visit.stop.centre.name,
                "stop": str(a.visit.stop),
                "role": a.role,
                "confirmed": a.confirmed,
                "checked_in_at": _iso(a.checked_in_at),
                "attendance": a.attendance,  # their own record (GDPR art. 15), docs/people.md
            }
            for a in assignments
        ],
        "absences": [
            {"starts_on": _iso(a.starts_on), "ends_on": _iso(a.ends_on), "category": a.category}
            for a in volunteer.absences.order_by("starts_on")
        ],
        "qualifications": [
            {"kind": q.kind, "issued_on": _iso(q.issued_on), "valid_until": _iso(q.valid_until)}
            for q in volunteer.qualifications.order_by("kind")
        ],
        "home_visits": [
            {"date": _iso(h.date), "centre": h.centre.name, "duration_minutes": h.duration_minutes}
            for h in home_visits
        ],
        "reports_submitted": [
            {
                "visit_date": _iso(r.visit.date),
                "stop": str(r.visit.stop),
                "submitted_at": _iso(r.submitted_at),
                "version": r.version,
            }
            for r in reports
        ],
        # The phones that get messages by Web Push (webpush/): which browser, since when.
        "push_subscriptions": [
            {
                "browser": p.user_agent,
                "created_at": _iso(p.created_at),
                "last_success_at": _iso(p.last_success_at),
            }
            for p in volunteer.push_subscriptions.all()
        ],
        "record_history": [
            {
                "at": _iso(h.history_date),
                "change": h.get_history_type_display(),
                "name": h.name,
                "phone": h.phone,
                "email": h.email,
                "active": h.active,
            }
            for h in history
        ],
    }


@transaction.atomic
def volunteer_anonymise(*, volunteer: Volunteer, by=None) -> Volunteer:
    """
    A volunteer has left: wipe who they were (name, phone, email, notes, consent),
    also in the record's history, unlink and deactivate their login, and keep
    their assignments, home visits and reports as statistics. Running it again
    changes nothing.
    """
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.anonymised_at is not None:
        return volunteer
    user = volunteer.user
    anonymous_name = _("Anonymised volunteer %(number)s") % {"number": volunteer.pk}
    for name, blank in PERSONAL_FIELDS.items():
        setattr(volunteer, name, blank)
    volunteer.name = anonymous_name
    volunteer.user = None
    volunteer.active = False
    volunteer.calendar_token = new_calendar_token()  # the old feed address stops working
    volunteer.anonymised_at = timezone.now()
    volunteer._history_user = by
    volunteer._change_reason = "anonymised"
    volunteer.save()
    # No message may reach a phone of theirs again (webpush/: the browsers' addresses).
    volunteer.push_subscriptions.all().delete()
    # The history keeps every earlier version: wipe the personal fields there too.
    volunteer.history.update(**{**PERSONAL_FIELDS, "name": anonymous_name}, user=None)
    # Absences and qualifications (a certificate's date) say something about the
    # person and nothing for the statistics: they go, with their history.
    for model in (Absence, Qualification):
        model.objects.filter(volunteer=volunteer).delete()
        model.history.filter(volunteer_id=volunteer.pk).delete()
    if user is not None:
        _retire_login(user)
    return volunteer


def _retire_login(user: AbstractUser) -> None:
    """The volunteer's login: nameless, unusable, its API token and lockout logs gone."""
    old_username = user.username
    user.username = f"anonymised-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    Token.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_username).delete()


def volunteers_inactive(*, today: dt.date | None = None) -> QuerySet[Volunteer]:
    """
    Volunteers not anonymised whose latest sign of life (a shift, a home visit, a
    login, or joining) is more than two years old, with it as ``last_activity``.
    """
    today = today or timezone.localdate()

    def latest(queryset, field: str):
        return Coalesce(
            Subquery(queryset.order_by(f"-{field}").values(field)[:1]),
            Value(_LONG_AGO),
            output_field=DateField(),
        )

    last_activity = Greatest(
        latest(Assignment.objects.filter(volunteer=OuterRef("pk")), "visit__date"),
        latest(HomeVisit.objects.filter(volunteer=OuterRef("pk")), "date"),
        Coalesce(TruncDate("user__last_login"), Value(_LONG_AGO), output_field=DateField()),
        TruncDate("created_at"),
        output_field=DateField(),
    )
    return (
        Volunteer.objects.filter(anonymised_at__isnull=True)
        .annotate(last_activity=last_activity)
        .filter(last_activity__lt=today - INACTIVE_AFTER)
        .select_related("home_centre")
        .order_by("last_activity", "name")
    )
