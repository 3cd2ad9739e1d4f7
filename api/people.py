"""
The API for absences and qualifications (docs/people.md): list, create and delete,
through volunteers.people_services, as the pages. A volunteer reaches their own
rows; a coordinator (an administrator) the rows of their centres' volunteers;
everyone else nothing (an empty list, 404 for a row).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import ID_MAX
from api.serializers import DateInputField, WholeNumberField
from core.access import PLANNERS, REPORTERS, role_of
from core.text import is_ascii_digits
from volunteers import people_services as services
from volunteers.choices import AbsenceCategory, QualificationKind
from volunteers.models import Absence, Qualification, Volunteer

ID_PATH = r"[0-9]{1,18}"


def reachable_volunteers(user) -> QuerySet[Volunteer]:
    """Whose absences and qualifications the user may see and change."""
    if role_of(user) in PLANNERS:
        return Volunteer.objects.editable_by(user)
    return (
        Volunteer.objects.filter(user=user, active=True)
        if user.is_authenticated
        else Volunteer.objects.none()
    )


class AbsenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    category = serializers.ChoiceField(choices=AbsenceCategory.choices)


class AbsenceInput(serializers.Serializer):
    volunteer = WholeNumberField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        help_text="A coordinator names one of their volunteers; a volunteer leaves it out.",
    )
    starts_on = DateInputField()
    ends_on = DateInputField()
    category = serializers.ChoiceField(choices=AbsenceCategory.choices)


class QualificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    kind = serializers.ChoiceField(choices=QualificationKind.choices)
    issued_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class QualificationInput(serializers.Serializer):
    volunteer = WholeNumberField(min_value=1, max_value=ID_MAX)
    kind = serializers.ChoiceField(choices=QualificationKind.choices)
    issued_on = DateInputField(required=False, allow_null=True)
    valid_until = DateInputField(required=False, allow_null=True)


VOLUNTEER_FILTER = OpenApiParameter(
    "volunteer",
    int,
    description="Only this volunteer's rows.",
    required=False,
)


class _PeopleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = ID_PATH
    filter_backends: list = []
    model: type = Absence

    def get_queryset(self):
        rows = self.model.objects.filter(volunteer__in=reachable_volunteers(self.request.user))
        given = self.request.query_params.get("volunteer")
        if self.action == "list" and given is not None:
            if not is_ascii_digits(given) or not 1 <= int(given) <= ID_MAX:
                raise ValidationError({"volunteer": [_("Write a whole number from 1 and up.")]})
            rows = rows.filter(volunteer=int(given))
        return rows.order_by(*self.ordering)

    def _volunteer(self, volunteer_id: int | None) -> Volunteer:
        reachable = reachable_volunteers(self.request.user)
        if volunteer_id is None:
            own = reachable.filter(user=self.request.user).first()
            if own is None:
                raise ValidationError({"volunteer": [_("Name the volunteer.")]})
            return own
        found = reachable.filter(pk=volunteer_id).first()
        if found is None:
            raise ValidationError({"volunteer": [_("Unknown volunteer.")]})
        return found


@extend_schema_view(
    list=extend_schema(summary="Absences you can see", parameters=[VOLUNTEER_FILTER]),
    retrieve=extend_schema(summary="One absence"),
    destroy=extend_schema(summary="Delete an absence"),
)
class AbsenceViewSet(_PeopleViewSet):
    serializer_class = AbsenceOutput
    model = Absence
    ordering = ("starts_on", "ends_on", "pk")

    @extend_schema(
        summary="Record an absence",
        description=(
            "From `starts_on` to `ends_on`, both inclusive. **400** when it ends before it "
            "starts, is over before yesterday, or overlaps another absence of the volunteer "
            "(the message names its dates); nothing is stored then."
        ),
        request=AbsenceInput,
        responses={201: AbsenceOutput},
    )
    def create(self, request: Request) -> Response:
        if role_of(request.user) not in REPORTERS:
            raise PermissionDenied(_("Leadership reads, but does not record absences."))
        given = AbsenceInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        absence = services.absence_add(
            volunteer=self._volunteer(data.get("volunteer")),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            category=data["category"],
            user=request.user,
        )
        return Response(AbsenceOutput(absence).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Absence) -> None:
        services.absence_delete(absence=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Qualifications you can see", parameters=[VOLUNTEER_FILTER]),
    retrieve=extend_schema(summary="One qualification"),
    destroy=extend_schema(summary="Delete a qualification (coordinators)"),
)
class QualificationViewSet(_PeopleViewSet):
    serializer_class = QualificationOutput
    model = Qualification
    ordering = ("volunteer__name", "kind", "pk")

    def _planner_only(self) -> None:
        if role_of(self.request.user) not in PLANNERS:
            raise PermissionDenied(_("Coordinators record the qualifications."))

    @extend_schema(
        summary="Record a qualification (coordinators)",
        description=(
            "One per volunteer and kind: sending a kind the volunteer holds changes it "
            "(**200**), a new one is **201**. `valid_until` empty: it does not expire."
        ),
        request=QualificationInput,
        responses={201: QualificationOutput, 200: QualificationOutput},
    )
    def create(self, request: Request) -> Response:
        self._planner_only()
        given = QualificationInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        volunteer = self._volunteer(data["volunteer"])
        existed = volunteer.qualifications.filter(kind=data["kind"]).exists()
        qualification = services.qualification_set(
            volunteer=volunteer,
            kind=data["kind"],
            issued_on=data.get("issued_on"),
            valid_until=data.get("valid_until"),
            user=request.user,
        )
        answer = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(QualificationOutput(qualification).data, status=answer)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        instance = self.get_object()
        self._planner_only()
        services.qualification_delete(qualification=instance, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
