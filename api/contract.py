"""
The report contract's answers (DESIGN.md), in one place for the two doors it has:
the API (``PUT /api/v1/visits/<id>/report/``) and the phone's queue (``POST
/visits/<id>/report/`` with JSON). Both answer 201 with the stored report, 200 with
it for the same submission again or a correction, and 409 with ``{"detail": …,
"report": {…}}``; the report is always ``serializers.ReportOutput``.
"""

from __future__ import annotations

from django.http import HttpRequest

from api.serializers import ReportConflictOutput, ReportOutput
from visits.models import VisitReport
from visits.services import Outcome, ReportConflict, SubmitResult


def report_body(report: VisitReport, *, request: HttpRequest) -> dict:
    """The stored report as a client reads it (``can_replace`` is for this user)."""
    return ReportOutput(report, context={"request": request}).data


def conflict_body(conflict: ReportConflict, *, request: HttpRequest) -> dict:
    """409: why nothing was stored, and the stored report to show beside one's own."""
    # The report is the named visit's, or None (ReportConflict enforces it).
    payload = {"detail": conflict.message, "report": conflict.report}
    return ReportConflictOutput(payload, context={"request": request}).data


def submitted_body(result: SubmitResult, *, request: HttpRequest) -> tuple[dict, int]:
    """The body and status of a stored submission: 201 created, else 200."""
    if result.outcome == Outcome.CREATED:
        # A new report is fresh: its referrals load when serialised.
        return report_body(result.report, request=request), 201
    # Read back what is stored: after a correction the service's object may still
    # hold the old referrals in its prefetch cache.
    stored = VisitReport.objects.prefetch_related("referrals").get(pk=result.report.pk)
    return report_body(stored, request=request), 200
