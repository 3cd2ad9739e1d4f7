from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import CentreScopedQuerySet
from stops.models import CentreSite
from visits.choices import Weekday
from visits.models import Visit
from visits.validators import validate_no_personal_data
from volunteers.choices import (
    AbsenceCategory,
    AssignmentAnswer,
    Attendance,
    DeclineReason,
    QualificationKind,
    VolunteerRole,
)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def validate_weekdays(value: str) -> None:
    if any(ch not in "1234567" for ch in value) or len(set(value)) != len(value):
        raise ValidationError(_("Weekdays are written as the digits 1 (Monday) to 7 (Sunday)."))


class VolunteerQuerySet(CentreScopedQuerySet):
    centre_lookup = "home_centre"

    def active(self) -> VolunteerQuerySet:
        return self.filter(active=True)

    def away_on(self, day: datetime.date) -> VolunteerQuerySet:
        """Volunteers with an absence that covers ``day`` (both ends inclusive)."""
        return self.filter(_covering_absence(day))

    def not_away_on(self, day: datetime.date) -> VolunteerQuerySet:
        """Volunteers with no absence covering ``day``: the ones a picker may offer."""
        return self.exclude(_covering_absence(day))

    def with_valid_licence(self, day: datetime.date) -> VolunteerQuerySet:
        """Volunteers whose driving licence is valid on ``day`` (no expiry, or not before it)."""
        return self.filter(_valid_licence(day))


# Exists() rather than a join: a volunteer with two matching rows must not appear twice,
# and the subquery composes with any other filter a list adds.
def _covering_absence(day: datetime.date) -> models.Exists:
    return models.Exists(
        Absence.objects.filter(
            volunteer=models.OuterRef("pk"), starts_on__lte=day, ends_on__gte=day
        )
    )


def _valid_licence(day: datetime.date) -> models.Exists:
    return models.Exists(
        Qualification.objects.filter(
            volunteer=models.OuterRef("pk"), kind=QualificationKind.DRIVING_LICENCE
        ).filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))
    )


class Volunteer(models.Model):
    """A volunteer (or local staff member) who drives, hosts or advises at the cafés."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    home_centre = models.ForeignKey(
        CentreSite, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("centre")
    )
    is_driver = models.BooleanField(_("driver"), default=False)
    is_host = models.BooleanField(_("host"), default=True)
    is_local_staff = models.BooleanField(_("local staff"), default=False)
    is_adviser = models.BooleanField(_("adviser"), default=False)
    available_weekdays = models.CharField(
        _("available weekdays"),
        max_length=7,
        blank=True,
        validators=[validate_weekdays],
        help_text=_("The weekdays the volunteer usually can come, 1 = Monday … 7 = Sunday."),
    )
    consent_date = models.DateField(
        _("consent given"),
        null=True,
        blank=True,
        help_text=_("When the volunteer agreed that we keep these details."),
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VolunteerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> list[str]:
        return [role for role, flag in ROLE_FLAGS.items() if getattr(self, flag)]

    @property
    def weekdays(self) -> list[int]:
        return sorted(int(ch) for ch in self.available_weekdays)

    def weekday_labels(self) -> list[str]:
        return [str(Weekday(day).label) for day in self.weekdays]

    def is_away_on(self, day: datetime.date) -> bool:
        """Whether one of this volunteer's absences covers ``day`` (one query; lists use
        ``Volunteer.objects.away_on``)."""
        return self.absences.filter(starts_on__lte=day, ends_on__gte=day).exists()

    def holds_valid_licence(self, day: datetime.date) -> bool:
        """Whether this volunteer's driving licence is valid on ``day`` (one query; lists use
        ``Volunteer.objects.with_valid_licence``)."""
        return (
            self.qualifications.filter(kind=QualificationKind.DRIVING_LICENCE)
            .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))
            .exists()
        )


ROLE_FLAGS = {
    VolunteerRole.DRIVER: "is_driver",
    VolunteerRole.HOST: "is_host",
    VolunteerRole.LOCAL_STAFF: "is_local_staff",
    VolunteerRole.ADVISER: "is_adviser",
}


class AssignmentQuerySet(CentreScopedQuerySet):
    centre_lookup = "visit__stop__centre"


class Assignment(models.Model):
    """A volunteer on a visit, in a role; checked in when they were there."""

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("visit")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("volunteer")
    )
    role = models.CharField(
        _("role"), max_length=12, choices=VolunteerRole.choices, default=VolunteerRole.HOST
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"),
        max_length=8,
        choices=Attendance.choices,
        default=Attendance.UNKNOWN,
        blank=True,
        help_text=_("Marked after the visit: there, or a no-show. A coordinator can correct it."),
    )
    attendance_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance set by"),
        help_text=_("Empty when the no-show run set it."),
    )
    # The volunteer's own answer (shifts.services.assignment_answer); ``confirmed``
    # above follows it, for the pages and feeds that read only that.
    answer = models.CharField(
        _("answer"),
        max_length=10,
        choices=AssignmentAnswer.choices,
        default=AssignmentAnswer.NONE,
        db_default=AssignmentAnswer.NONE,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=10, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(
        _("note on the reason"),
        max_length=200,
        blank=True,
        validators=[validate_no_personal_data],
    )
    answer_late = models.BooleanField(
        _("declined late"),
        default=False,
        db_default=False,
        help_text=_("Declined less than 24 hours before the start."),
    )
    # The phone's queue sends an answer again when it is unsure it arrived.
    answer_submission_id = models.UUIDField(_("answer submission id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "role", "volunteer__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "volunteer"],
                name="assignment_unique_volunteer_per_visit",
                violation_error_message=_("The volunteer is already on this visit."),
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "visit"], name="assignment_volunteer_visit")]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.get_role_display()}"


class Absence(models.Model):
    """A span of days (both ends inclusive) a volunteer is away; the category only, no reason."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="absences", verbose_name=_("volunteer")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    category = models.CharField(
        _("category"),
        max_length=10,
        choices=AbsenceCategory.choices,
        default=AbsenceCategory.HOLIDAY,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "ends_on"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_on_or_after_start",
                violation_error_message=_("An absence cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "starts_on"], name="absence_volunteer_start")]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.starts_on}–{self.ends_on} ({self.get_category_display()})"

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Qualification(models.Model):
    """Something a volunteer holds (a licence, a certificate's date, a course), maybe expiring."""

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("volunteer"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QualificationKind.choices)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty when it does not expire.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["volunteer", "kind"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "kind"],
                name="qualification_unique_kind_per_volunteer",
                violation_error_message=_("The volunteer already has this qualification."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.get_kind_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until is None or self.valid_until >= day
