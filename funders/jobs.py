"""Building a report asked for in the background (run by the worker: funders.tasks)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from funders.models import JobStatus, ReportJob
from funders.pdf import filename, render_pdf
from funders.report import ReportError, report_for
from funders.selection import report_selection
from reach.params import SelectionError


def _save(job: ReportJob, **changes) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    job.save(update_fields=list(changes))


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build a queued report: the reader's reach as it is now, its progress saved as it goes."""
    job = ReportJob.objects.select_related("requested_by", "funder").filter(pk=job_id).first()
    if job is None or job.finished:
        return job
    _save(job, status=JobStatus.RUNNING, progress=1)
    try:
        selection = report_selection(job.requested_by, job.funder_id, job.period)
        report = report_for(selection, progress=lambda percent: _save(job, progress=percent))
        pdf = render_pdf(report)
    except (ReportError, SelectionError) as error:
        _save(job, status=JobStatus.FAILED, problem=str(error)[:300], finished_at=timezone.now())
        return job
    except Http404:  # the reader no longer reaches the grant
        problem = _("You no longer have access to this grant.")
        _save(job, status=JobStatus.FAILED, problem=problem, finished_at=timezone.now())
        return job
    except Exception:  # a fault: say so on the page, then let the worker log it
        _save(
            job,
            status=JobStatus.FAILED,
            problem=_("The report could not be built."),
            finished_at=timezone.now(),
        )
        raise
    _save(
        job,
        status=JobStatus.DONE,
        progress=100,
        pdf=pdf,
        filename=filename(report),
        finished_at=timezone.now(),
    )
    return job
