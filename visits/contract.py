"""
The report contract's answers (DESIGN.md), in one place for the two doors it has:
the API (``PUT /api/v1/visits/<id>/report/``) and the phone's queue (``POST
/visits/<id>/report/`` with JSON). Both answer 201 with the stored report, 200 with
it for the same submission again or a correction, and 409 with ``{"detail": …,
"report": {…}}``; the report is always ``ReportOutput``. It lives with the visits,
not in ``api``, so that the phone (volunteers) and the API both import it from below.
"""

from __future__ import annotations

from django.http import HttpRequest
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from visits.models import VisitReport
from visits.services import Outcome, ReportConflict, SubmitResult, report_can_replace


class ReferralOutput(serializers.Serializer):
    service_type = serializers.IntegerField(source="service_type_id")
    count = serializers.IntegerField()


class ReportOutput(serializers.Serializer):
    visit = serializers.IntegerField(source="visit_id")
    people_met = serializers.IntegerField()
    new_people = serializers.IntegerField()
    meals = serializers.IntegerField()
    food_bags = serializers.IntegerField()
    clothing_items = serializers.IntegerField()
    other_items = serializers.IntegerField()
    volunteer_minutes = serializers.IntegerField()
    note = serializers.CharField()
    referrals = ReferralOutput(many=True)
    submission_id = serializers.UUIDField()
    submitted_at = serializers.DateTimeField(help_text="When it arrived.")
    captured_at = serializers.DateTimeField(
        allow_null=True, help_text="When the volunteer pressed send on the phone."
    )
    version = serializers.IntegerField(help_text="Name it as `version` to replace the report.")
    outliers = serializers.SerializerMethodField(
        help_text="The figures the server found outside the stop's usual range."
    )
    outliers_confirmed = serializers.BooleanField(
        help_text="Whether the volunteer confirmed the figures outside the range."
    )
    can_replace = serializers.SerializerMethodField(
        help_text="Whether you may correct this report now."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_outliers(self, report: VisitReport) -> list[str]:
        return [name for name in report.outliers.split(",") if name]

    @extend_schema_field(serializers.BooleanField())
    def get_can_replace(self, report: VisitReport) -> bool:
        return report_can_replace(user=self.context["request"].user, report=report)


class ReportConflictOutput(serializers.Serializer):
    """409: why the submission was not stored, and the visit's stored report (null
    when the submission id is another visit's)."""

    detail = serializers.CharField()
    report = ReportOutput(allow_null=True)


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
