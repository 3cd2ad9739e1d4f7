"""
The funder reports' writes: a report asked for in the background (``report_job_start``;
the worker runs it with ``funders.jobs.report_job_run``) and the scheduled mail of the
month's or quarter's report (``funder_mail_send``), each period sent once under its key.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.access import AnyUser
from funders.models import JobStatus, Mailing, MailSent, ReportJob, Rhythm
from funders.pdf import filename, render_pdf
from funders.report import ReportError, check_request, report_for
from funders.tasks import build_report
from reach.params import Selection
from reach.periods import Period
from reach.selectors.query import ReachQuery
from stops.models import Funder


def report_job_start(*, user: AnyUser, funder: Funder, period: Period) -> ReportJob:
    """
    The background report for this reader, grant and period: the one already asked
    for (waiting, being built, or built today), else a new one, queued once this
    transaction commits.
    """
    if user.pk is None:  # the views ask for a login first
        raise ValueError("A report in the background is asked for by a logged-in reader.")
    params = period.params()
    since = timezone.now() - dt.timedelta(hours=12)
    existing = (
        ReportJob.objects.filter(
            requested_by_id=user.pk, funder=funder, period=params, created_at__gte=since
        )
        .exclude(status=JobStatus.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    job = ReportJob.objects.create(requested_by_id=user.pk, funder=funder, period=params)
    transaction.on_commit(lambda: build_report.enqueue(job.pk))
    return job


def grant_selection(funder: Funder, period: Period) -> Selection:
    """The whole grant for one period, for publication: what its contacts are mailed."""
    query = ReachQuery.build(start=period.start, end=period.end, funder=funder)
    return Selection(period=period, query=query, funder=funder, publication=True)


def period_before(rhythm: str, today: dt.date) -> Period:
    """The last whole month or quarter before ``today``."""
    if rhythm == Rhythm.MONTHLY:
        return Period.month(today.year, today.month).previous
    return Period.quarter(today.year, (today.month - 1) // 3 + 1).previous


def mail_key(mailing: Mailing, period: Period) -> str:
    return f"funder-mail:{mailing.pk}:{period.key}"


def _send(mailing: Mailing, period: Period, key: str) -> None:
    report = report_for(grant_selection(mailing.funder, period))
    with override("da"):
        subject = _("Reach report: %(grant)s, %(period)s") % {
            "grant": mailing.funder.name,
            "period": period.label,
        }
        body = _(
            "Dear partner,\n\nAttached is the reach report of Social Drive Out for "
            "%(grant)s, %(period)s.\nSmall numbers are hidden for publication: no one "
            "in a small village can be pointed out.\n\nKind regards\nSocial Drive Out, "
            "KFUM's Sociale Arbejde\n"
        ) % {"grant": mailing.funder.name, "period": period.label}
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        mailing.recipients,
        headers={"Message-ID": f"<{key.replace(':', '.')}@drivein>"},
    )
    message.attach(filename(report), render_pdf(report), "application/pdf")
    message.send()


def funder_mail_send(*, today: dt.date | None = None) -> dict[str, int]:
    """
    Mail each active mailing the report of the month or quarter just ended, once:
    the period's key is claimed under a row lock in ``MailSent`` before sending, and
    a key already sent is passed over, so a second run (or a second server) sends
    nothing twice. A failed send keeps its key unsent and is tried on the next run.
    """
    today = today or timezone.localdate()
    counts = {"sent": 0, "already": 0, "skipped": 0, "failed": 0}
    for mailing in Mailing.objects.filter(active=True).select_related("funder"):
        period = period_before(mailing.rhythm, today)
        key = mail_key(mailing, period)
        try:
            check_request(mailing.funder, period)
        except ReportError:
            counts["skipped"] += 1
            continue
        if not mailing.recipients:
            counts["skipped"] += 1
            continue
        with transaction.atomic():
            MailSent.objects.get_or_create(
                key=key,
                defaults={
                    "mailing": mailing,
                    "period": period.key,
                    "recipients": "\n".join(mailing.recipients),
                },
            )
            # Locked while it is sent: a second run waits here, then sees it sent.
            record = MailSent.objects.select_for_update().get(key=key)
            if record.sent_at is not None:
                counts["already"] += 1
                continue
            try:
                _send(mailing, period, key)
            except (TimeoutError, smtplib.SMTPException, OSError) as error:
                record.problem = (str(error) or error.__class__.__name__)[:300]
                record.save(update_fields=["problem"])
                counts["failed"] += 1
                continue
            record.sent_at = timezone.now()
            record.problem = ""
            record.save(update_fields=["sent_at", "problem"])
            counts["sent"] += 1
    return counts
