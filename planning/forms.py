"""Forms for the planning pages: they check the input, the services apply the rules."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import (
    AsciiDateField,
    AsciiIntegerField,
    AsciiModelChoiceField,
    AsciiTimeField,
)
from core.fields import formfield as ascii_formfield
from planning.services.team import PLACES_MAX, TEAM_FIELDS
from stops.models import CentreSite, Stop
from visits.forms import FreeTextField, bounded_formfield
from visits.models import VisitPattern
from visits.validators import validate_reason_without_personal_data
from volunteers.choices import VolunteerRole
from volunteers.models import Volunteer

# A visit id and the version seen: ASCII digits only, within the database's integers.
_ORDER_ITEM = re.compile(r"[0-9]{1,18}:[0-9]{1,9}")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionForm(forms.Form):
    """Every change to a visit names the version the coordinator saw."""

    version = AsciiIntegerField(min_value=1, widget=forms.HiddenInput)


class VisitTimesForm(VersionForm):
    date = AsciiDateField(label=_("Date"), widget=DATE)
    start_time = AsciiTimeField(label=_("Start"), widget=TIME)
    end_time = AsciiTimeField(label=_("End"), widget=TIME)


class VisitAddForm(forms.Form):
    stop = AsciiModelChoiceField(queryset=Stop.objects.none(), label=_("Stop"))
    date = AsciiDateField(label=_("Date"), widget=DATE)
    start_time = AsciiTimeField(label=_("Start"), widget=TIME)
    end_time = AsciiTimeField(label=_("End"), widget=TIME)

    def __init__(self, *args, centre: CentreSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = Stop.objects.filter(centre=centre, active=True).order_by(
            "roster_position"
        )
        self.fields["stop"].error_messages["invalid_choice"] = _(
            "Choose one of this centre's active stops."
        )


class VanForm(VersionForm):
    """The van for a visit: its id (planning.access finds it among the centre's, or 404)."""

    van = forms.IntegerField(label=_("Van"), min_value=1)


class CancelForm(VersionForm):
    reason = FreeTextField(
        rule=validate_reason_without_personal_data,
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown to the volunteers; the public page only says “cancelled”."),
    )


class AssignForm(VersionForm):
    volunteer = AsciiModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"))
    role = forms.ChoiceField(label=_("Role"), choices=VolunteerRole.choices)

    def __init__(self, *args, centre: CentreSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            home_centre=centre, active=True
        )
        self.fields["volunteer"].error_messages["invalid_choice"] = _(
            "Choose an active volunteer of this centre."
        )


class RouteApplyForm(forms.Form):
    """The suggested order as visit ids, each with the version the coordinator saw."""

    order = forms.CharField(widget=forms.HiddenInput)

    def clean_order(self) -> list[tuple[int, int]]:
        items = self.cleaned_data["order"].split(",")
        if not all(_ORDER_ITEM.fullmatch(item) for item in items):
            raise forms.ValidationError(_("The order could not be read."))
        return [
            (int(visit_id), int(version))
            for visit_id, _colon, version in (i.partition(":") for i in items)
        ]


class RosterMoveForm(forms.Form):
    stop = AsciiIntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


# How many people a visit wants (shifts/): the models allow 1 to 12.
_PLACES_ERRORS = {
    "min_value": _("A visit wants at least one person."),
    "max_value": _("A visit wants at most %(limit_value)s people."),
    "invalid": _("Write the number of people as a whole number."),
}


def places_field(*, required: bool, help_text: str = "") -> forms.IntegerField:
    return AsciiIntegerField(
        label=_("People wanted"),
        min_value=1,
        max_value=PLACES_MAX,
        required=required,
        help_text=help_text,
        error_messages=_PLACES_ERRORS,
    )


def driver_override_field(empty_label: str) -> forms.TypedChoiceField:
    """Yes, no, or empty: as the stop (or the pattern)."""
    return forms.TypedChoiceField(
        label=_("Needs a driver"),
        choices=[("", empty_label), ("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
    )


class StopForm(forms.ModelForm):
    places_wanted = places_field(
        required=False, help_text=_("Empty: as it was (2 for a new stop).")
    )
    needs_driver = forms.BooleanField(label=_("Needs a driver"), required=False)
    slug = forms.SlugField(
        label=_("Public address"),
        required=False,
        max_length=80,
        help_text=_(
            "The stop's public page is /s/<address>/. Left empty, it is made from the name."
        ),
    )

    class Meta:
        model = Stop
        fields = [*Stop.PLACE_FIELDS, *TEAM_FIELDS, "slug"]
        formfield_callback = ascii_formfield
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        # The service fills in the centre, roster position and a free slug, and
        # runs the model's own validation; only the fields are checked here.
        pass

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("places_wanted") is None:
            cleaned.pop("places_wanted", None)  # the service leaves it as it is
        return cleaned

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "")
        taken = Stop.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if slug and taken.exists():
            raise forms.ValidationError(_("Another stop already has that address."))
        return slug


class PatternForm(forms.ModelForm):
    places_wanted = places_field(required=False, help_text=_("Empty: as the stop."))
    needs_driver = driver_override_field(_("As the stop"))

    class Meta:
        model = VisitPattern
        fields = [*VisitPattern.SCHEDULE_FIELDS, *TEAM_FIELDS]
        formfield_callback = bounded_formfield
        widgets = {
            "start_time": TIME,
            "anchor_date": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
        }

    def __init__(self, *args, stop: Stop, **kwargs):
        super().__init__(*args, **kwargs)
        # So that the model's clean() checks overlaps with the stop's other patterns.
        self.instance.stop = stop


class VisitTeamForm(VersionForm):
    """One visit's team, when it differs from its pattern's or its stop's."""

    places_wanted = places_field(required=False, help_text=_("Empty: as the pattern or the stop."))
    needs_driver = driver_override_field(_("As the pattern or the stop"))


class PlacesApprovalForm(forms.Form):
    places_need_approval = forms.BooleanField(
        label=_("Taking an open place needs my approval"), required=False
    )
