from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import CentreScopedQuerySet
from notifications.choices import Kind, Status
from stops.models import CentreSite
from visits.models import Visit
from volunteers.models import Volunteer

DEFAULT_DAY_BEFORE_AT = dt.time(17, 0)
DEFAULT_HOURS_BEFORE = 2


class Preference(models.Model):
    """How and when one volunteer wants to be told (made on first save; defaults until then)."""

    volunteer = models.OneToOneField(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("volunteer"),
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=True)
    by_push = models.BooleanField(_("by push on the phone"), default=False)
    remind_day_before_at = models.TimeField(
        _("reminder the day before at"), null=True, blank=True, default=DEFAULT_DAY_BEFORE_AT
    )
    remind_hours_before = models.PositiveSmallIntegerField(
        _("reminder hours before"), null=True, blank=True, default=DEFAULT_HOURS_BEFORE
    )
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.volunteer)

    @classmethod
    def defaults_for(cls, volunteer: Volunteer) -> Preference:
        """The unsaved preference a volunteer has until they change it."""
        return cls(
            volunteer=volunteer, by_email=bool(volunteer.email), by_sms=bool(volunteer.phone)
        )

    @classmethod
    def for_volunteer(cls, volunteer: Volunteer) -> Preference:
        """The volunteer's preference, created with the defaults the first time."""
        pref, _created = cls.objects.get_or_create(
            volunteer=volunteer,
            defaults={"by_email": bool(volunteer.email), "by_sms": bool(volunteer.phone)},
        )
        return pref

    def wants(self, channel: str) -> bool:
        """Whether this channel is on (a channel without a switch here is off)."""
        return bool(getattr(self, f"by_{channel}", False))

    def is_quiet(self, moment: dt.time) -> bool:
        """Whether a local time of day falls in the quiet hours (which may cross midnight)."""
        start, end = self.quiet_from, self.quiet_until
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end


class NotificationQuerySet(CentreScopedQuerySet):
    centre_lookup = "centre"

    def due(self, now: dt.datetime) -> NotificationQuerySet:
        return self.filter(status=Status.PENDING, next_attempt_at__lte=now)


class Notification(models.Model):
    """One message to one person on one channel: the log, and the guard against twice.

    The row is written under its idempotency key before anything is sent; a second
    tick, a retried task or a second worker finds the key taken and sends nothing.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("volunteer"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    # Whose coordinators see it when it fails; the visit it is about, if any.
    centre = models.ForeignKey(
        CentreSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("centre"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("visit"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16)
    address = models.CharField(_("address"), max_length=2000, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # Never a participant's data: places, times, teams and links only.
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error or reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["centre", "status"], name="notification_centre_status"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def recipient(self) -> Volunteer | object | None:
        return self.volunteer or self.user


class Told(models.Model):
    """What one volunteer was last told about one visit: the changes are the difference.

    Nothing hooks the planning services: the tick compares each settled visit with
    these snapshots, so edits close together make one message and an edit undone
    before the tick makes none.
    """

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="+", verbose_name=_("volunteer")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    state = models.JSONField(_("state told"))
    # {"state": what they knew before the latest message} while that message may still
    # be replaced (nothing of it went out yet); a change undone in time then tells nothing.
    before = models.JSONField(_("state before the latest message"), null=True, blank=True)
    # How many change messages went out for this pair: part of each message's key.
    messages = models.PositiveIntegerField(_("messages"), default=0)
    told_at = models.DateTimeField(_("told"), auto_now=True)

    class Meta:
        verbose_name = _("state told")
        verbose_name_plural = _("states told")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "visit"], name="told_once_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.visit_id}"


class Mark(models.Model):
    """A named point in time the tick keeps (how far it has looked at changes)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")

    def __str__(self) -> str:
        return self.name
