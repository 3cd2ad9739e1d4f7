"""
Reach summaries: one row per stop and day with visits, kept by the database itself.

Triggers on visits, reports, referrals and assignments (``reach.summaries``)
recompute the rows of every stop and day a write touches, in the same transaction
as the write: a report sent is in the very next dashboard request, whichever path
wrote it (the services, the admin, a queryset update, a bulk load). The figures
read these rows instead of joining every report and referral (docs/leadership.md, "Speed").
``manage.py reach_verify`` compares them with the raw tables.

A stop has about one visit a day it is visited (1.0 at national scale; 1.16 a
week), so a row per stop and day is as small as a row per stop and ISO week, and
every period (a month, a grant's dates, today) is whole days: nothing is cut.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stops.models import Stop
from visits.models import ServiceType, Visit
from volunteers.models import Volunteer


class StopDay(models.Model):
    """What one stop's visits on one day add up to (reports of held visits only)."""

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    planned = models.PositiveIntegerField(default=0)  # every visit, whatever its status
    held = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)  # still marked planned
    reported = models.PositiveIntegerField(default=0)  # held with a report
    people_met = models.PositiveIntegerField(default=0)
    new_people = models.PositiveIntegerField(default=0)
    meals = models.PositiveIntegerField(default=0)
    food_bags = models.PositiveIntegerField(default=0)
    clothing_items = models.PositiveIntegerField(default=0)
    other_items = models.PositiveIntegerField(default=0)
    volunteer_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("stop day summary")
        constraints = [models.UniqueConstraint(fields=["stop", "day"], name="stopday_unique")]
        indexes = [models.Index(fields=["day", "stop"], name="stopday_day_stop")]

    def __str__(self) -> str:
        return f"{self.stop_id} {self.day:%Y-%m-%d}"


class StopDayReferral(models.Model):
    """Referrals of one kind from the held visits of one stop on one day."""

    stop_day = models.ForeignKey(StopDay, on_delete=models.CASCADE, related_name="referrals")
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stop_day", "service_type"], name="stopdayreferral_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stop_day_id}: {self.service_type_id} × {self.count}"


class StopVolunteerDay(models.Model):
    """A volunteer assigned to held visits of one stop on one day (for distinct counts)."""

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    visits = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Also the index of "has this volunteer served at this stop in these days?"
            models.UniqueConstraint(
                fields=["stop", "volunteer", "day"], name="stopvolunteerday_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "stop"], name="stopvolunteerday_day_stop")]

    def __str__(self) -> str:
        return f"{self.stop_id} {self.day:%Y-%m-%d}: {self.volunteer_id}"


class StopVolunteer(models.Model):
    """
    A volunteer who has served at a stop (a held visit, ever). Distinct volunteers
    of a period are these pairs that have a ``StopVolunteerDay`` in it: one index
    probe per pair (some thousands), however long the period.
    """

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stop", "volunteer"], name="stopvolunteer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stop_id}: {self.volunteer_id}"


class QualityCheck(models.Model):
    """
    A coordinator or leader has looked at a café on the data-quality page (DHIS2's
    follow-up): a value outside its range, 0 people, many new, a late or missing
    report. One per visit: who checked it and when; the figures stay as they are.
    """

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="quality_check", verbose_name=_("visit")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("data-quality check")
        verbose_name_plural = _("data-quality checks")

    def __str__(self) -> str:
        return f"{self.visit_id} checked {self.checked_at:%Y-%m-%d %H:%M}"
