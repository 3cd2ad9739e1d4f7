"""
A funder report built in the background (``ReportJob``), and the scheduled mail of a
grant's report to its contact addresses (``Mailing``, each sending recorded once in
``MailSent`` under an idempotency key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stops.models import Funder


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """
    One funder report asked for by a reader, for a period long enough to be built in
    the background. The reader's own reach decides what it shows, so only the reader
    may follow it and download it (anyone else: 404). The PDF is kept in the row.
    """

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_report_jobs"
    )
    # The period as its query parameters (reach.periods), e.g. {"year": "2026"}.
    period = models.JSONField()
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    problem = models.CharField(max_length=300, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funder report being built")
        verbose_name_plural = _("funder reports being built")

    def __str__(self) -> str:
        return f"{self.funder} {self.period}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class Rhythm(models.TextChoices):
    MONTHLY = "month", _("Every month (the month before)")
    QUARTERLY = "quarter", _("Every quarter (the quarter before)")


class Mailing(models.Model):
    """A grant's report mailed to its contact addresses after each month or quarter."""

    funder = models.ForeignKey(
        Funder, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("funder")
    )
    addresses = models.TextField(_("contact addresses"), help_text=_("One e-mail address a line."))
    rhythm = models.CharField(_("rhythm"), max_length=10, choices=Rhythm.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["funder__name"]
        verbose_name = _("funder mailing")
        verbose_name_plural = _("funder mailings")

    def __str__(self) -> str:
        return f"{self.funder}: {self.get_rhythm_display()}"

    @property
    def recipients(self) -> list[str]:
        return [line.strip() for line in self.addresses.splitlines() if line.strip()]


class MailSent(models.Model):
    """
    One period's report mailed (or being mailed) for one mailing. The key is unique,
    so that a second run of the command sends nothing twice.
    """

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="sent")
    key = models.CharField(max_length=120, unique=True)
    period = models.CharField(max_length=30)
    recipients = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funder mail sent")
        verbose_name_plural = _("funder mails sent")

    def __str__(self) -> str:
        return self.key
