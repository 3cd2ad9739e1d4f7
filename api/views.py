"""
The REST API (/api/v1/). Views are thin: every queryset starts from
``Model.objects.for_user(request.user)`` (so anything outside a user's reach is a
404), input is checked by an explicit serializer, writes go through the same
services as the HTML pages, and output is rendered by an explicit serializer.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import filters, serializers
from api.authentication import token_expires_at
from core.access import can_report
from reach.dashboard import overview_for
from reach.params import SelectionError, resolve_selection
from reach.selectors.timeliness import timeliness
from stops.models import CentreSite, Stop
from visits import contract
from visits.models import HomeVisit, Visit, VisitReport
from visits.services import (
    REPORT_DATA_FIELDS,
    Outcome,
    ReportConflict,
    ReportData,
    report_submit,
)
from volunteers.home_visits import HomeVisitConflict, HomeVisitData, home_visit_submit
from volunteers.models import Assignment, Volunteer
from volunteers.people_services import attendance_after_report
from volunteers.services import assignment_check_in


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """An API address that does not exist: JSON, as every API answer."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


# Ids in paths: at most 18 digits (within 64 bits); longer is no page at all (404).
ID_PATH = r"[0-9]{1,18}"


@extend_schema_view(
    list=extend_schema(summary="Centres you can see"),
    retrieve=extend_schema(summary="One centre"),
)
class CentreViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATH
    serializer_class = serializers.CentreOutput

    def get_queryset(self):
        return (
            CentreSite.objects.for_user(self.request.user)
            .select_related("region")
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Stops you can see"),
    retrieve=extend_schema(summary="One stop"),
)
class StopViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATH
    serializer_class = serializers.StopOutput
    filterset_class = filters.StopFilter

    def get_queryset(self):
        return Stop.objects.for_user(self.request.user).order_by(
            "centre__name", "roster_position", "pk"
        )


@extend_schema_view(
    list=extend_schema(summary="Visits you can see, earliest first"),
    retrieve=extend_schema(summary="One visit"),
)
class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATH
    serializer_class = serializers.VisitOutput
    filterset_class = filters.VisitFilter

    def get_queryset(self):
        return (
            Visit.objects.for_user(self.request.user)
            .select_related("stop", "report")
            .order_by("date", "start_time", "stop__roster_position", "pk")
        )

    @extend_schema(
        methods=["GET"],
        summary="The visit's report",
        responses={200: contract.ReportOutput},
        filters=False,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Submit or correct the visit's report",
        description=(
            "Idempotent by `submission_id`. **201**: the report was stored. **200**: "
            "the same submission again (the stored report, unchanged) or a correction "
            "that named the stored report's `version`. **409**: the visit already has "
            "another report; the body holds it, so send again with its `version` to "
            "replace it. **403**: you may not report (leadership) or correct this report "
            "(a volunteer's own, for 7 days). **400**: bad numbers, a future or "
            "cancelled visit."
        ),
        request=serializers.ReportInput,
        responses={
            201: OpenApiResponse(contract.ReportOutput, description="Stored."),
            200: OpenApiResponse(
                contract.ReportOutput,
                description="The same submission again, or a correction: the stored report.",
            ),
            409: OpenApiResponse(
                contract.ReportConflictOutput,
                description=(
                    "Another report is stored; it is in the body (null when the "
                    "submission id is another visit's)."
                ),
            ),
        },
        filters=False,
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def report(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        if request.method == "GET":
            report = VisitReport.objects.filter(visit=visit).prefetch_related("referrals").first()
            if report is None:
                raise NotFound(_("This visit has no report yet."))
            return Response(contract.report_body(report, request=request))

        given = serializers.ReportInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            result = report_submit(
                visit=visit,
                user=request.user,
                submission_id=data["submission_id"],
                data=ReportData(
                    **{name: data[name] for name in REPORT_DATA_FIELDS}, referrals=data["referrals"]
                ),
                replaces_version=data.get("version"),
                captured_at=data.get("captured_at"),
                outliers_confirmed=data["outliers_confirmed"],
            )
            attendance_after_report(visit=visit)  # no-shows of a past visit: docs/people.md
        except ReportConflict as conflict:
            return Response(
                contract.conflict_body(conflict, request=request),
                status=status.HTTP_409_CONFLICT,
            )
        body, answer_status = contract.submitted_body(result, request=request)
        return Response(body, status=answer_status)

    @extend_schema(
        summary="Check in to your shift",
        description=(
            "For volunteer hours; only your own place on the visit's team (else 404). "
            "Idempotent: the first check-in stands. **400**: a cancelled visit, or "
            "before the visit's day."
        ),
        request=serializers.CheckInInput,
        responses={200: serializers.CheckInOutput},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="check-in",
        filter_backends=[],
        pagination_class=None,
    )
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        given = serializers.CheckInInput(data=request.data)
        given.is_valid(raise_exception=True)
        volunteer = Volunteer.objects.active().filter(user=request.user).first()
        try:
            if volunteer is None:
                raise Assignment.DoesNotExist
            assignment = assignment_check_in(
                visit=visit, volunteer=volunteer, at=given.validated_data.get("at")
            )
        except Assignment.DoesNotExist:
            raise NotFound(_("You are not on the team of this visit.")) from None
        return Response(
            serializers.CheckInOutput(
                {"visit": visit.pk, "checked_in_at": assignment.checked_in_at}
            ).data
        )


@extend_schema_view(
    list=extend_schema(summary="Home visits you can see, newest first"),
    retrieve=extend_schema(summary="One home visit"),
)
class HomeVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATH
    serializer_class = serializers.HomeVisitOutput
    filterset_class = filters.HomeVisitFilter

    def get_queryset(self):
        return (
            HomeVisit.objects.for_user(self.request.user)
            .prefetch_related("referrals")
            .order_by("-date", "-pk")
        )

    @extend_schema(
        summary="Log a home visit",
        description=(
            "Idempotent by `submission_id`: **201** stored; **200** the same submission "
            "again (the stored home visit, unchanged); **409** the submission id is "
            "already a home visit with other numbers (in the body, if you may read it)."
        ),
        request=serializers.HomeVisitInput,
        responses={
            201: OpenApiResponse(serializers.HomeVisitOutput, description="Stored."),
            200: OpenApiResponse(
                serializers.HomeVisitOutput, description="Already stored: the stored one."
            ),
            409: OpenApiResponse(
                serializers.HomeVisitConflictOutput,
                description="The submission id is another home visit; nothing was stored.",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        if not can_report(request.user):
            raise PermissionDenied(_("Only volunteers and coordinators log home visits."))
        given = serializers.HomeVisitInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            home_visit, outcome = home_visit_submit(
                user=request.user,
                submission_id=data["submission_id"],
                data=HomeVisitData(
                    centre_id=data["centre"],
                    date=data["date"],
                    duration_minutes=data["duration_minutes"],
                    note=data["note"],
                    volunteer_id=data.get("volunteer"),
                    referrals=data["referrals"],
                ),
            )
        except HomeVisitConflict as conflict:
            body = {"detail": conflict.message, "home_visit": conflict.home_visit}
            return Response(
                serializers.HomeVisitConflictOutput(body).data, status=status.HTTP_409_CONFLICT
            )
        home_visit = self.get_queryset().get(pk=home_visit.pk)
        created = outcome == Outcome.CREATED
        return Response(
            self.get_serializer(home_visit).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TokenView(APIView):
    """Trade a username and password for the user's API token (login lockout applies)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "token"

    @extend_schema(
        summary="Get your API token",
        description=(
            "Send your username and password; get the token to send as "
            "`Authorization: Token <token>`. Administrators issue and revoke tokens in "
            "the admin; repeated failures lock the username out for a while (429)."
        ),
        request=serializers.TokenInput,
        responses={200: serializers.TokenOutput},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = serializers.TokenInput(data=request.data)
        given.is_valid(raise_exception=True)
        # The Django request, so that django-axes counts failures and locks out.
        user = authenticate(request._request, **given.validated_data)
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        token, _created = Token.objects.get_or_create(user=user)
        if token_expires_at(token) <= timezone.now():
            # An expired token is replaced, never handed out again.
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})


REACH_PARAMETERS = [
    OpenApiParameter(name, str, description=description)
    for name, description in [
        ("week", "An ISO week, 2026-W48 (the last complete week when no period is given)."),
        ("month", "A month, 2026-11."),
        ("quarter", "A quarter, 2026-Q4."),
        ("year", "A year, 2026."),
        ("from", "First day of a range, 2026-01-01 (with `to`)."),
        ("to", "Last day of a range, 2026-03-31 (with `from`)."),
        ("region", "A region id: its centres as rows."),
        ("centre", "A centre id: its stops as rows."),
        ("funder", "A funder id: only the grant's stops and dates."),
        (
            "publication",
            "1 for figures to publish: at the stop level (with `centre`) counts of "
            "people and of things handed out that are 1 or 2 are null with `suppressed` "
            "“<3”, and where one hidden count could be worked out from a total minus "
            "the others, the next-smallest count is hidden too (“x”). Numbers of cafés "
            "and volunteer time are never hidden; regions and centres are not suppressed.",
        ),
    ]
]


class ReachView(APIView):
    """Reach figures: the same selection and numbers as the dashboard at /reach/."""

    @extend_schema(
        summary="Reach for a period and place",
        description=(
            "The dashboard's rows and total: nationally a row per region, for a region "
            "a row per centre, for a centre a row per stop. Leadership and "
            "administrators see every centre, a coordinator their own; others get 404. "
            "**400** for a malformed period or id; **404** for a region, centre or "
            "funder outside your reach."
        ),
        parameters=REACH_PARAMETERS,
        responses={200: serializers.ReachOutput},
    )
    def get(self, request: Request) -> Response:
        try:
            selection = resolve_selection(request.user, request.query_params)
        except SelectionError as error:
            raise ValidationError({"detail": str(error)}) from error
        overview = overview_for(selection)
        period = selection.period
        payload = {
            "period": {
                "kind": period.kind,
                "key": period.key,
                "start": period.start,
                "end": period.end,
                "elapsed_days": period.elapsed_days(selection.query.today),
            },
            "level": selection.level,
            "place": selection.place_label,
            "rows": overview.rows,
            "total": overview.total,
            "timeliness": timeliness(selection.query),
        }
        return Response(serializers.ReachOutput(payload, context={"types": overview.types}).data)
