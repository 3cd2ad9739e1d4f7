"""Long periods: built by the worker, progress shown, the PDF only for the reader who asked."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from funders.jobs import report_job_run
from funders.models import JobStatus, ReportJob
from stops.models import Funder
from tests import factories as f
from tests.reach.world import build_world

from .pdftext import needs_pdftotext, pdf_text


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def year_grant(transactional_db):
    """The world and a grant of Mors for all of 2025 (the worker needs real commits)."""
    world = build_world()
    funder = Funder.objects.create(
        name="Årsfonden", start_date=world.a.date.replace(day=1, month=1)
    )
    funder.centres.add(world.mors)
    return funder


@needs_pdftotext
def test_a_year_is_built_in_the_background_with_its_progress_shown(year_grant):
    leader = f.make_leader()
    client = Client()
    client.force_login(leader)
    response = client.get(f"/funders/{year_grant.pk}/report/", {"year": "2025"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/funders/reports/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.period == {"year": "2025"}
    # Asked again while it waits: the same job, not a second one.
    client.get(f"/funders/{year_grant.pk}/report/", {"year": "2025"})
    assert ReportJob.objects.count() == 1
    page = client.get(response.url)
    assert 'hx-trigger="every 2s"' in page.text and "Venter" in page.text
    assert client.get(f"/funders/reports/{job.pk}/report.pdf").status_code == 302  # not yet
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    ready = client.get(response.url, headers={"HX-Request": "true"})
    assert "every 2s" not in ready.text and "Hent PDF" in ready.text
    assert "<html" not in ready.text  # the fragment only
    pdf = client.get(f"/funders/reports/{job.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "2025" in text and "Redsted" in text
    # Another leader may not follow it or download it: it is this reader's.
    other = Client()
    other.force_login(f.make_leader())
    assert other.get(response.url).status_code == 404
    assert other.get(f"/funders/reports/{job.pk}/report.pdf").status_code == 404


def test_a_reader_who_lost_the_grant_gets_a_failed_report_saying_so(db):
    world = build_world()
    funder = Funder.objects.create(name="Brovstfonden", start_date=world.a.date.replace(day=1))
    funder.centres.add(world.brovst)
    coordinator = f.make_coordinator(world.brovst)
    job = ReportJob.objects.create(funder=funder, requested_by=coordinator, period={"year": "2025"})
    world.brovst.coordinators.remove(coordinator)  # moved to another centre meanwhile
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.pdf is None
    assert job.problem == "Du har ikke længere adgang til denne bevilling."
