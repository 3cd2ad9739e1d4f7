from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REMINDER_DAY_BEFORE = "reminder_day_before", _("reminder the day before")
    REMINDER_HOURS_BEFORE = "reminder_hours_before", _("reminder hours before")
    CHANGE = "change", _("change to a visit")
    OFFER = "offer", _("offer of an open place")
    DECLINED = "declined", _("a volunteer declined")
    UNDERSTAFFED = "understaffed", _("visit short of people")
    REPORT_MISSING = "report_missing", _("report missing")
    DIGEST = "digest", _("weekly digest")


class Status(models.TextChoices):
    PENDING = "pending", _("waiting")
    # Claimed by a worker that is talking to the provider now (until lease_until).
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")
