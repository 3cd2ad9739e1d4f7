"""
The funder report's pages: the PDF of a grant and period (at once, or in the
background with its progress shown), and the background report's page and file.
Access is the dashboard's (reach.params): 404 outside the reader's reach.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from funders.models import JobStatus, ReportJob
from funders.pdf import filename, render_pdf
from funders.report import ReportError, check_request, in_background, report_for
from funders.selection import report_selection
from funders.services import report_job_start
from reach.params import SelectionError, reader_scope


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def report(request: HttpRequest, funder_id: int) -> HttpResponse:
    """A grant's report for the period asked for: the PDF, or a page following its build."""
    try:
        selection = report_selection(request.user, funder_id, request.GET)
        funder = selection.funder
        if funder is None:  # resolve_selection answers 404 for an unknown grant
            raise Http404
        check_request(funder, selection.period)
    except (SelectionError, ReportError) as error:
        raise BadRequest(str(error)) from error
    if in_background(funder, selection.period):
        job = report_job_start(user=request.user, funder=funder, period=selection.period)
        return redirect("funders:job", job.pk)
    built = report_for(selection, checked=True)
    return _pdf_response(render_pdf(built), filename(built))


def _own_job(request: HttpRequest, job_id: int) -> ReportJob:
    """The reader's own background report (anyone else's, or anyone not a reader: 404)."""
    reader_scope(request.user)
    return get_object_or_404(
        ReportJob.objects.select_related("funder").defer("pdf"),
        pk=job_id,
        requested_by=request.user,
    )


@login_required
@require_GET
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """How far the report is; htmx asks again every two seconds until it is ready."""
    found = _own_job(request, job_id)
    template = "funders/job.html"
    if request.headers.get("HX-Request") == "true":
        template += "#progress"
    return render(request, template, {"job": found, "Status": JobStatus})


@login_required
@require_GET
def job_pdf(request: HttpRequest, job_id: int) -> HttpResponse:
    """The finished report's PDF; until then its page."""
    found = _own_job(request, job_id)
    if found.status != JobStatus.DONE:
        return redirect("funders:job", found.pk)
    pdf = ReportJob.objects.values_list("pdf", flat=True).get(pk=found.pk)
    return _pdf_response(bytes(pdf), found.filename)
