"""
Explicit input and output serializers: outputs say what a client reads, inputs what
it may send. The rules of a report or a home visit live in ``visits.services``; the
inputs only check shapes and the sane maxima of ``visits.limits``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.filters import ID_MAX
from core.fields import OTHER_DIGITS_MESSAGE, has_other_digits, parse_uuid
from reach.selectors.figures import ref_column
from stops.choices import Coverage, VenueKind
from visits import limits
from visits.choices import VisitStatus
from visits.contract import ReferralOutput
from visits.models import COUNT_FIELDS, HomeVisit, VisitReport
from visits.validators import validate_no_personal_data


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
        "example": "10:00:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A local time of day, ``HH:MM:SS`` (OpenAPI's "time" format would want an offset)."""


# Outputs ----------------------------------------------------------------------


class CentreOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    town = serializers.CharField()
    municipality = serializers.CharField()
    region = serializers.CharField(source="region.name")
    region_code = serializers.CharField(source="region.code")
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    weekly_people_target = serializers.IntegerField()
    active = serializers.BooleanField()


class StopOutput(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.IntegerField(source="centre_id")
    community = serializers.CharField()
    venue_name = serializers.CharField()
    venue_kind = serializers.ChoiceField(choices=VenueKind.choices)
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    municipality = serializers.CharField()
    roster_position = serializers.IntegerField()
    slug = serializers.SlugField(help_text="The public page is /s/<slug>/.")
    access_notes = serializers.CharField()
    coverage = serializers.ChoiceField(choices=Coverage.choices)
    coverage_notes = serializers.CharField()
    active = serializers.BooleanField()


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    stop = serializers.IntegerField(source="stop_id")
    centre = serializers.IntegerField(source="stop.centre_id")
    community = serializers.CharField(source="stop.community")
    venue_name = serializers.CharField(source="stop.venue_name")
    date = serializers.DateField()
    start_time = LocalTimeField()
    end_time = LocalTimeField()
    status = serializers.ChoiceField(choices=VisitStatus.choices)
    cancel_reason = serializers.CharField()
    is_holiday = serializers.BooleanField()
    holiday_name = serializers.CharField()
    note = serializers.CharField()
    version = serializers.IntegerField()
    report_version = serializers.IntegerField(
        source="report.version",
        allow_null=True,
        help_text="The version of the visit's report; null while it has none.",
    )


class AsciiDigitsInput:
    """An input field that refuses digits other than 0–9 (int() reads "١٢" as 12)."""

    def to_internal_value(self, data):
        if has_other_digits(data):
            raise serializers.ValidationError(str(OTHER_DIGITS_MESSAGE), code="invalid")
        return super().to_internal_value(data)


class WholeNumberField(AsciiDigitsInput, serializers.IntegerField):
    """An input whole number in the digits 0–9."""


class DateInputField(AsciiDigitsInput, serializers.DateField):
    """An input date in the digits 0–9."""


class SubmissionIdField(serializers.UUIDField):
    """A UUID written out in full; the JSON 12, true or false is none."""

    def to_internal_value(self, data):
        try:
            return parse_uuid(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code="invalid") from None


class ReferralSerializer(serializers.Serializer):
    """Referrals of one kind (a ServiceType id) and how many."""

    service_type = WholeNumberField(min_value=1, max_value=ID_MAX)
    count = WholeNumberField(min_value=0, max_value=limits.MAX_REFERRALS)


class HomeVisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.IntegerField(source="centre_id")
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id", allow_null=True)
    note = serializers.CharField()
    referrals = ReferralOutput(many=True)
    submission_id = serializers.UUIDField()
    submitted_at = serializers.DateTimeField()


class HomeVisitConflictOutput(serializers.Serializer):
    """409: why the home visit was not stored, and the stored one (null when it is
    outside your reach)."""

    detail = serializers.CharField()
    home_visit = HomeVisitOutput(allow_null=True)


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


# Inputs -----------------------------------------------------------------------


def _count(maximum: int, **kwargs) -> WholeNumberField:
    return WholeNumberField(min_value=0, max_value=maximum, **kwargs)


class FreeTextField(serializers.CharField):
    """
    A free text that others read (visits.forms.FreeTextField's twin): the model's
    rule on what it may say, and a text over max_length refused for its length
    alone, before the rule's patterns read it (DRF runs every validator).
    """

    default_validators = [validate_no_personal_data]

    def run_validators(self, value) -> None:
        if self.max_length is not None and len(value) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        super().run_validators(value)


def _note(model: type[models.Model], **kwargs) -> serializers.CharField:
    """A note as long as its model field allows, with the rule on what it may say."""
    return FreeTextField(
        max_length=model._meta.get_field("note").max_length,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        **kwargs,
    )


def _referrals_field() -> serializers.ListField:
    return serializers.ListField(
        child=ReferralSerializer(),
        required=False,
        default=list,
        max_length=100,
        help_text="Referrals per service type; leave out the kinds with none.",
    )


def _referral_map(items: list[dict]) -> dict[int, int]:
    referrals: dict[int, int] = {}
    for item in items:
        if item["service_type"] in referrals:
            raise serializers.ValidationError(
                {"referrals": _("Each service type may be named only once.")}
            )
        referrals[item["service_type"]] = item["count"]
    return referrals


class ReportInput(serializers.Serializer):
    """A visit's report as the phone sends it (DESIGN.md, the report contract)."""

    submission_id = SubmissionIdField(
        help_text="Made on the phone once per report; sending it again is harmless."
    )
    version = WholeNumberField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version of the stored report this one replaces (corrections only).",
    )
    people_met = _count(limits.MAX_PEOPLE)
    new_people = _count(limits.MAX_PEOPLE, default=0)
    meals = _count(limits.MAX_ITEMS, default=0)
    food_bags = _count(limits.MAX_ITEMS, default=0)
    clothing_items = _count(limits.MAX_ITEMS, default=0)
    other_items = _count(limits.MAX_ITEMS, default=0)
    volunteer_minutes = _count(limits.MAX_VOLUNTEER_MINUTES, default=0)
    note = _note(VisitReport, help_text="No names, CPR or phone numbers, e-mail addresses.")
    referrals = _referrals_field()
    captured_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=(
            "When the volunteer pressed send, by the phone's clock, with its offset. "
            "A time after arrival (beyond 10 minutes) or before the visit's day is "
            "stored as the arrival time."
        ),
    )
    outliers_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The volunteer was warned that a figure is outside the stop's usual range "
            "(the shift's `ranges` in the phone bundle) and said it is right. A report "
            "outside the range is stored either way, and listed for a coordinator to check."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        attrs["referrals"] = _referral_map(attrs.get("referrals", []))
        return attrs


class CheckInInput(serializers.Serializer):
    """Check in to one's shift; ``at`` is when the phone says it was tapped."""

    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=(
            "When the volunteer tapped “check in”, with its offset (it may have waited "
            "offline). A time outside the visit's day or in the future gives way to now."
        ),
    )


class CheckInOutput(serializers.Serializer):
    visit = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField()


class HomeVisitInput(serializers.Serializer):
    """A home visit as the phone sends it; no names."""

    submission_id = SubmissionIdField()
    centre = WholeNumberField(min_value=1, max_value=ID_MAX)
    date = DateInputField()
    duration_minutes = WholeNumberField(min_value=1, max_value=limits.MAX_VISIT_MINUTES)
    volunteer = WholeNumberField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="The volunteer who went; a volunteer's own when left out.",
    )
    note = _note(HomeVisit, help_text="No names, CPR or phone numbers, e-mail addresses.")
    referrals = _referrals_field()

    def validate(self, attrs: dict) -> dict:
        attrs["referrals"] = _referral_map(attrs.get("referrals", []))
        return attrs


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


# Reach ------------------------------------------------------------------------


class ReachPeriodOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="week, month, quarter, year or range")
    key = serializers.CharField(help_text="e.g. 2026-W48, 2026-11, 2026-Q4, 2026")
    start = serializers.DateField()
    end = serializers.DateField()
    elapsed_days = serializers.IntegerField(
        allow_null=True,
        help_text="A running period (today inside it): its days so far, today included; "
        "its figures are partial. null for a period that is over (or to come).",
    )


class ReachReferralOutput(serializers.Serializer):
    service_type = serializers.IntegerField()
    count = serializers.IntegerField(allow_null=True, help_text="null when suppressed.")
    suppressed = serializers.CharField(
        required=False, help_text="With publication=1: “<3” (1 or 2) or “x” (hidden besides)."
    )


SUPPRESSIBLE = COUNT_FIELDS  # reach.publication hides these (and referrals)
SUPPRESSED_HELP = "null when suppressed for publication (see `suppressed`)."


class PublishedCount(serializers.IntegerField):
    """A count of a published row (reach.publication.Published): its marker ("<3",
    "x") when hidden, answered as null (the marker is under ``suppressed``)."""

    def to_representation(self, value):
        return None if isinstance(value, str) else super().to_representation(value)


def _published_count() -> PublishedCount:
    return PublishedCount(allow_null=True, help_text=SUPPRESSED_HELP)


class ReachRowOutput(serializers.Serializer):
    """The figures of one region, centre or stop, or of the whole selection."""

    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    kind = serializers.CharField(help_text="region, centre, stop or total")
    planned = serializers.IntegerField()
    held = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    open_past = serializers.IntegerField(help_text="Past visits still marked planned.")
    reported = serializers.IntegerField(help_text="Held visits with a report.")
    people_met = _published_count()
    new_people = _published_count()
    meals = _published_count()
    food_bags = _published_count()
    clothing_items = _published_count()
    other_items = _published_count()
    volunteers = serializers.IntegerField()
    volunteer_hours = serializers.FloatField()
    home_visits = serializers.IntegerField(allow_null=True)
    referrals = serializers.SerializerMethodField()
    target = serializers.IntegerField(source="target_rounded", allow_null=True)
    reports_due = serializers.IntegerField(
        help_text="Past visits that should have a report: held, plus open_past."
    )
    completeness = serializers.FloatField(
        allow_null=True,
        help_text="reported / reports_due (null when none are due): a past visit nobody "
        "marked held or cancelled counts as a report due and not in.",
    )

    suppressed = serializers.SerializerMethodField()

    @extend_schema_field(ReachReferralOutput(many=True))
    def get_referrals(self, row) -> list[dict]:
        """Café referrals per service type, in the service types' order (zeros included)."""
        referrals = []
        for service_type in self.context["types"]:
            marker = row.hidden.get(ref_column(service_type.pk))
            if marker:
                referrals.append(
                    {"service_type": service_type.pk, "count": None, "suppressed": marker}
                )
            else:
                count = row.referrals.get(service_type.pk, 0)
                referrals.append({"service_type": service_type.pk, "count": count})
        return referrals

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_suppressed(self, row) -> dict[str, str]:
        """
        With publication=1, at the stop level: each hidden count (set to null) and its
        marker, “<3” for a count of 1 or 2, “x” for one hidden so that a “<3” cannot
        be worked out from a total. Empty otherwise.
        """
        return {name: row.hidden[name] for name in SUPPRESSIBLE if name in row.hidden}


class ReachTimelinessOutput(serializers.Serializer):
    """Reports captured on the phone within 24 hours of the café (reach.selectors.timeliness)."""

    reports = serializers.IntegerField(help_text="Reports of held cafés in the period.")
    on_time = serializers.IntegerField(
        help_text="Of those, captured on the phone within 24 hours of the café's end."
    )
    share = serializers.FloatField(allow_null=True, help_text="on_time / reports (null: none).")


class ReachOutput(serializers.Serializer):
    period = ReachPeriodOutput()
    level = serializers.CharField(help_text="national, region or centre: the rows are one down")
    place = serializers.CharField()
    rows = ReachRowOutput(many=True)
    total = ReachRowOutput()
    timeliness = ReachTimelinessOutput()
