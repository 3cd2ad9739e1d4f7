"""Background work for the funder reports (Django's tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from funders.jobs import report_job_run


@task
def build_report(job_id: int) -> dict:
    """Build one report asked for in the background (funders.models.ReportJob)."""
    job = report_job_run(job_id=job_id)
    return {"job": job_id, "status": job.status if job else "gone"}
