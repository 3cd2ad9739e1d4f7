"""
Query filters of the API lists (django-filter). A malformed value is a 400 that says
which parameter and why; an id outside the user's reach simply matches nothing,
since every list starts from ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from core.fields import AsciiIntegerField
from core.weeks import InvalidWeek, IsoWeek
from stops.models import Stop
from visits.choices import VisitStatus
from visits.models import HomeVisit, Visit

# Database ids are 64-bit; anything larger is a malformed id, not a missing one.
ID_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
# The weeks core.weeks accepts (years 2000–2100), for the schema; empty means no
# filter. The field checks the shape, then IsoWeek.parse says what is wrong.
WEEK_PATTERN = r"^((20[0-9]{2}|2100)-W(0[1-9]|[1-4][0-9]|5[0-3]))?$"
WEEK_SCHEMA = {"type": "string", "pattern": WEEK_PATTERN, "example": "2026-W48"}


class IsoWeekField(forms.CharField):
    """``2026-W48`` to an IsoWeek, with the Danish message of core.weeks otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs["strip"] = False  # exactly as the schema's pattern says, no blanks around
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not re.match(r"^[0-9]{4}-W[0-9]{2}$", value):
            # The value goes in as a parameter, never into the message itself: a "%"
            # typed by the user would otherwise break the formatting downstream.
            raise forms.ValidationError(
                _("“%(value)s” is not a week. Write it like 2026-W48."),
                code="invalid_week",
                params={"value": value},
            )
        try:
            return IsoWeek.parse(value)
        except InvalidWeek as error:
            raise forms.ValidationError(
                "%(message)s", code="invalid_week", params={"message": str(error)}
            ) from error


@extend_schema_field(WEEK_SCHEMA)
class IsoWeekFilter(django_filters.Filter):
    """Rows dated Monday through Sunday of the ISO week."""

    field_class = IsoWeekField

    def filter(self, qs, value: IsoWeek | None):
        if value is None:
            return qs
        return qs.filter(
            **{f"{self.field_name}__gte": value.monday, f"{self.field_name}__lte": value.sunday}
        )


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A whole, positive database id."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StopFilter(django_filters.FilterSet):
    centre = IdFilter(field_name="centre_id", help_text="Only this centre's stops.")

    class Meta:
        model = Stop
        fields = ["centre"]


class VisitFilter(django_filters.FilterSet):
    centre = IdFilter(field_name="stop__centre_id", help_text="Only this centre's visits.")
    stop = IdFilter(field_name="stop_id", help_text="Only this stop's visits.")
    week = IsoWeekFilter(field_name="date", help_text="An ISO week, like 2026-W48.")
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, help_text="Visit status.")

    class Meta:
        model = Visit
        fields = ["centre", "stop", "week", "status"]


class HomeVisitFilter(django_filters.FilterSet):
    centre = IdFilter(field_name="centre_id", help_text="Only this centre's home visits.")
    week = IsoWeekFilter(field_name="date", help_text="An ISO week, like 2026-W48.")

    class Meta:
        model = HomeVisit
        fields = ["centre", "week"]
