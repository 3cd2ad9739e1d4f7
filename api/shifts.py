"""
The API's shifts doors (/api/v1/shifts/, /open-places/, /offers/): my shifts with
their answer, answer one (the phone's queue sends here), hand one over, the open
places I may take, take one, accept an offer. Thin, as api/views.py: an input
serializer, the same shifts.services as the pages, an output serializer.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import ID_MAX
from api.serializers import LocalTimeField
from shifts import selectors, services
from shifts.forms import ANSWERS
from shifts.models import Offer
from visits.choices import VisitStatus
from visits.models import Visit
from visits.upcoming import still_to_come
from volunteers.choices import AssignmentAnswer, DeclineReason, VolunteerRole
from volunteers.models import Assignment, Volunteer

ID_PATH = r"[0-9]{1,18}"
TAKE_ROLES = [(VolunteerRole.DRIVER, "driver"), (VolunteerRole.HOST, "host")]


def _me(request: Request) -> Volunteer | None:
    return (
        Volunteer.objects.active().select_related("home_centre").filter(user=request.user).first()
    )


def _gone(gone: services.PlaceGone) -> Response:
    return Response({"detail": gone.message}, status=status.HTTP_409_CONFLICT)


# Serializers -------------------------------------------------------------------


class ShiftOutput(serializers.Serializer):
    id = serializers.IntegerField()
    visit = serializers.IntegerField(source="visit_id")
    date = serializers.DateField(source="visit.date")
    start_time = LocalTimeField(source="visit.start_time")
    end_time = LocalTimeField(source="visit.end_time")
    stop = serializers.CharField(source="visit.stop.community")
    role = serializers.ChoiceField(choices=VolunteerRole.choices)
    answer = serializers.ChoiceField(
        choices=AssignmentAnswer.choices, help_text="'' not answered, confirmed, declined."
    )
    answered_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField(help_text="ill, plans, transport, other, or empty.")
    answer_late = serializers.BooleanField(help_text="Declined less than 24 hours before.")


class AnswerInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=ANSWERS)
    reason = serializers.ChoiceField(
        choices=[("", ""), *DeclineReason.choices], required=False, default=""
    )
    note = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, trim_whitespace=True
    )
    submission_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Made on the phone: the same submission sent again changes nothing.",
    )


class HandOverInput(serializers.Serializer):
    to_volunteer = serializers.IntegerField(min_value=1, max_value=ID_MAX)


class HandOverOutput(serializers.Serializer):
    id = serializers.IntegerField()
    shift = serializers.IntegerField(source="assignment_id")
    to_volunteer = serializers.IntegerField(source="to_volunteer_id")
    state = serializers.CharField()


class OpenPlaceOutput(serializers.Serializer):
    visit = serializers.IntegerField(source="visit.pk")
    date = serializers.DateField(source="visit.date")
    start_time = LocalTimeField(source="visit.start_time")
    end_time = LocalTimeField(source="visit.end_time")
    stop = serializers.CharField(source="visit.stop.community")
    open = serializers.IntegerField(source="places.open")
    driver_open = serializers.BooleanField(source="places.driver_open")
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="The roles you may take here."
    )
    refusal = serializers.CharField(help_text="Why you may not take it, if you may not.")
    requested = serializers.BooleanField()


class TakeInput(serializers.Serializer):
    visit = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    role = serializers.ChoiceField(choices=TAKE_ROLES)


class TakeOutput(serializers.Serializer):
    shift = serializers.IntegerField(allow_null=True, help_text="Yours now (instant take).")
    requested = serializers.BooleanField(help_text="A request the coordinator approves.")


class OfferOutput(serializers.Serializer):
    id = serializers.IntegerField()
    visit = serializers.IntegerField(source="visit_id")
    role = serializers.CharField()
    state = serializers.CharField()


class Detail(serializers.Serializer):
    detail = serializers.CharField()


# Views -------------------------------------------------------------------------


class ShiftViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My shifts of the coming four weeks, with their answer."""

    lookup_value_regex = ID_PATH
    serializer_class = ShiftOutput
    filter_backends: list = []

    def get_queryset(self):
        volunteer = _me(self.request)
        if volunteer is None:
            return Assignment.objects.none()
        end = timezone.localdate() + dt.timedelta(days=selectors.OPEN_PLACES_DAYS)
        return (
            Assignment.objects.filter(
                still_to_come(prefix="visit__"), volunteer=volunteer, visit__date__lte=end
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .select_related("visit__stop")
            .order_by("visit__date", "visit__start_time", "pk")
        )

    def _mine(self, pk: str | None) -> tuple[Volunteer, Assignment]:
        volunteer = _me(self.request)
        if volunteer is None:
            raise NotFound(_("Not found."))
        return volunteer, get_object_or_404(
            Assignment.objects.select_related("visit__stop"), pk=pk, volunteer=volunteer
        )

    @extend_schema(summary="My coming shifts (four weeks) with their answer")
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Answer a shift: coming or not",
        description=(
            "Only your own shift (else 404). Idempotent by `submission_id` (the phone's "
            "queue). A decline frees the place and offers it to others; within 24 hours "
            "of the start it is marked late. **400**: the shift has started or passed, a "
            "note with personal data. **409**: back to coming after your place was taken."
        ),
        request=AnswerInput,
        responses={200: ShiftOutput, 409: OpenApiResponse(Detail)},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def answer(self, request: Request, pk: str | None = None) -> Response:
        volunteer, assignment = self._mine(pk)
        given = AnswerInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            result = services.assignment_answer(
                assignment=assignment, volunteer=volunteer, **given.validated_data
            )
        except services.PlaceGone as gone:
            return _gone(gone)
        return Response(ShiftOutput(result.assignment).data)

    @extend_schema(
        summary="Hand a shift over to a colleague of your centre",
        description=(
            "The colleague accepts or declines on their phone; until then the shift is "
            "yours. **400**: a volunteer of another centre, yourself, one already on it."
        ),
        request=HandOverInput,
        responses={201: HandOverOutput},
    )
    @action(detail=True, methods=["post"], url_path="hand-over", pagination_class=None)
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        volunteer, assignment = self._mine(pk)
        given = HandOverInput(data=request.data)
        given.is_valid(raise_exception=True)
        colleague = Volunteer.objects.filter(pk=given.validated_data["to_volunteer"]).first()
        if colleague is None or colleague.home_centre_id != volunteer.home_centre_id:
            raise serializers.ValidationError(
                {
                    "to_volunteer": [
                        _("You can only hand over to an active volunteer of your centre.")
                    ]
                }
            )
        result = services.hand_over_start(
            assignment=assignment, volunteer=volunteer, to_volunteer=colleague
        )
        return Response(HandOverOutput(result.hand_over).data, status=status.HTTP_201_CREATED)


class OpenPlacesView(generics.ListAPIView):
    serializer_class = OpenPlaceOutput
    filter_backends: list = []

    def get_queryset(self):
        # A list, not a queryset: the places are counted in SQL, the rules per volunteer
        # in shifts.selectors; four weeks of one centre, paged like every API list.
        volunteer = _me(self.request)
        return selectors.open_places(volunteer=volunteer) if volunteer else []

    @extend_schema(
        summary="Open places of your centre in the coming four weeks",
        description="Each with the roles you may take, or why not. Empty for non-volunteers.",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class TakeView(APIView):
    @extend_schema(
        summary="Take an open place",
        description=(
            "Needs a connection. **201** yours (or requested, where the centre approves). "
            "**404**: a visit of another centre. **400**: a driver's place without a valid "
            "licence, an overlap with your own shift, a visit that has started. **409**: "
            "the place was taken first."
        ),
        request=TakeInput,
        responses={201: TakeOutput, 409: OpenApiResponse(Detail)},
    )
    def post(self, request: Request) -> Response:
        volunteer = _me(request)
        given = TakeInput(data=request.data)
        given.is_valid(raise_exception=True)
        if volunteer is None:
            raise NotFound(_("Not found."))
        visit = get_object_or_404(
            Visit.objects.select_related("stop__centre"),
            pk=given.validated_data["visit"],
            stop__centre=volunteer.home_centre_id,
        )
        try:
            result = services.place_take(
                visit=visit, volunteer=volunteer, role=given.validated_data["role"]
            )
        except services.PlaceGone as gone:
            return _gone(gone)
        body = {"shift": result.assignment.pk if result.assignment else None}
        body["requested"] = result.request is not None
        return Response(TakeOutput(body).data, status=status.HTTP_201_CREATED)


class OfferAcceptView(APIView):
    @extend_schema(
        summary="Accept a place offered to you",
        description="The first to accept gets it. **409**: someone else took it first.",
        request=None,
        responses={200: OfferOutput, 409: OpenApiResponse(Detail)},
    )
    def post(self, request: Request, pk: str) -> Response:
        volunteer = _me(request)
        if volunteer is None:
            raise NotFound(_("Not found."))
        offer = get_object_or_404(Offer.objects.select_related("visit"), pk=pk, volunteer=volunteer)
        try:
            services.offer_accept(offer=offer, volunteer=volunteer)
        except services.PlaceGone as gone:
            return _gone(gone)
        offer.refresh_from_db()
        return Response(OfferOutput(offer).data)
