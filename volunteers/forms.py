"""
The phone forms: a visit's report and a home visit. The limits come from the
model fields (visits/limits.py), are rendered into the inputs (min, max, data-*)
so that the phone checks the same numbers, and are checked again here; the
services (visits/services.py) are the final gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.fields import (
    AsciiDateField,
    AsciiIntegerField,
    AsciiModelChoiceField,
    StrictUUIDField,
)
from visits import validators
from visits.forms import FreeTextField
from visits.models import COUNT_FIELDS, HomeVisit, ReportReferral, ServiceType, VisitReport
from visits.services import REPORT_DATA_FIELDS, ReportData
from volunteers.home_visits import HomeVisitData

COUNT_MESSAGES = {
    "invalid": _("Write a whole number."),
    "min_value": _("The number cannot be negative."),
    "max_value": _("At most %(limit_value)s. Please check the number."),
}


def model_max(model: type[models.Model], name: str) -> int:
    """The maximum a model field allows (its MaxValueValidator): one set of limits."""
    field = model._meta.get_field(name)
    return next(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))


class CountField(AsciiIntegerField):
    """A whole number from 0 to the model's maximum, typed or set with −/+; empty is 0."""

    def __init__(self, *, max_value: int, step: int = 1, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", 0)
        messages = {**COUNT_MESSAGES, **kwargs.pop("error_messages", {})}
        super().__init__(min_value=0, max_value=max_value, error_messages=messages, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "data-step": str(step)})

    def clean(self, value):
        value = super().clean(value)
        return 0 if value is None else value


def _count(name: str, model: type[models.Model] = VisitReport, **kwargs) -> CountField:
    field = model._meta.get_field(name)
    return CountField(
        label=capfirst(field.verbose_name),
        max_value=model_max(model, name),
        help_text=field.help_text,
        **kwargs,
    )


class NoteField(FreeTextField):
    """A short note; no names, CPR or phone numbers, e-mail addresses (the model's rule)."""

    def __init__(self, model: type[models.Model] = VisitReport, **kwargs):
        super().__init__(
            required=False,
            max_length=model._meta.get_field("note").max_length,
            label=_("Note"),
            help_text=_("No names or personal details"),
            widget=forms.Textarea(attrs={"rows": 3, "data-forbidden": validators.PATTERN}),
            **kwargs,
        )


class ReferralsMixin:
    """One counter per service type, named ``referral_<id>``."""

    referral_prefix = "referral_"

    def add_referral_fields(self, service_types: Iterable[ServiceType], initial: Mapping) -> None:
        maximum = model_max(ReportReferral, "count")
        self.service_types = list(service_types)
        for service_type in self.service_types:
            self.fields[f"{self.referral_prefix}{service_type.pk}"] = CountField(
                label=service_type.display_name,
                max_value=maximum,
                initial=initial.get(service_type.pk, 0),
            )

    def referral_fields(self):
        return [self[f"{self.referral_prefix}{t.pk}"] for t in self.service_types]

    def cleaned_referrals(self) -> dict[int, int]:
        return {
            t.pk: self.cleaned_data[f"{self.referral_prefix}{t.pk}"]
            for t in self.service_types
            if self.cleaned_data.get(f"{self.referral_prefix}{t.pk}")
        }


class ReportForm(ReferralsMixin, forms.Form):
    """A visit's report as the volunteer fills it in on the phone."""

    submission_id = StrictUUIDField(widget=forms.HiddenInput)
    # The stored report's version that this one corrects (the API's field name).
    version = AsciiIntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    people_met = _count("people_met")
    new_people = _count("new_people")
    meals = _count("meals")
    food_bags = _count("food_bags")
    clothing_items = _count("clothing_items")
    other_items = _count("other_items")
    volunteer_minutes = _count("volunteer_minutes", step=15)
    note = NoteField()
    # Shown by the phone when a figure is outside the stop's usual range (visits/ranges.py).
    outliers_confirmed = forms.BooleanField(required=False, label=_("Yes, the numbers are right"))

    def __init__(self, *args, service_types: Iterable[ServiceType], referrals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_referral_fields(service_types, referrals or {})
        # "Of whom new" is checked against "people met" on the phone too.
        self.fields["new_people"].widget.attrs["data-not-above"] = "people_met"

    def count_fields(self):
        return [self[name] for name in COUNT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        met, new = cleaned.get("people_met"), cleaned.get("new_people")
        if met is not None and new is not None and new > met:
            self.add_error("new_people", _("“Of whom new” cannot be more than “people met”."))
        return cleaned

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            **{name: data[name] for name in REPORT_DATA_FIELDS},
            referrals=self.cleaned_referrals(),
        )


class HomeVisitForm(ReferralsMixin, forms.Form):
    """A home visit (grusvejstur): where from, when, how long, what help it led to."""

    submission_id = StrictUUIDField(widget=forms.HiddenInput)
    centre = AsciiModelChoiceField(queryset=None, label=_("Centre"), empty_label=None)
    date = AsciiDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write a date.")},
    )
    duration_minutes = CountField(
        label=_("Duration (minutes)"),
        max_value=model_max(HomeVisit, "duration_minutes"),
        step=15,
        initial=60,
        required=True,
        error_messages={"required": _("Write how long the visit lasted.")},
    )
    note = NoteField(HomeVisit)

    def __init__(self, *args, centres, service_types: Iterable[ServiceType], **kwargs):
        super().__init__(*args, **kwargs)
        # Every centre within reach is accepted, so that home_visit_submit, not the
        # form, says why a closed one is refused (as it does to the API); the list
        # offers only the open ones.
        self.fields["centre"].queryset = centres
        self.open_centres = [c for c in centres if c.active]
        self.fields["centre"].choices = [(c.pk, str(c)) for c in self.open_centres]
        self.fields["date"].initial = timezone.localdate
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["duration_minutes"].min_value = 1
        self.fields["duration_minutes"].widget.attrs["min"] = 1
        self.add_referral_fields(service_types, {})

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        if not value:
            raise forms.ValidationError(_("Write how long the visit lasted."))
        return value

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A home visit is logged after it has happened."))
        return value

    def home_visit_data(self) -> HomeVisitData:
        """What the form says; the sender is who went (home_visit_submit decides)."""
        data = self.cleaned_data
        return HomeVisitData(
            centre_id=data["centre"].pk,
            date=data["date"],
            duration_minutes=data["duration_minutes"],
            note=data["note"],
            referrals=self.cleaned_referrals(),
        )


def form_data_from_json(payload, prefix: str = ReferralsMixin.referral_prefix):
    """
    A JSON body as form data. Referrals come as the API sends them, ``[{"service_type":
    <id>, "count": n}]``, or as ``{"<id>": n}`` (what the phone's queue sent before it
    spoke the API's shape: items may still wait on a phone); they become
    ``referral_<id>`` fields. Returns (data, errors); an error means the shape is
    wrong, not just a number.
    """
    if not isinstance(payload, dict):
        return None, {"__all__": [str(_("The report must be a JSON object."))]}
    data, errors = {}, {}
    for key, value in payload.items():
        if key == "referrals":
            continue
        if isinstance(value, dict | list):
            errors[key] = [str(_("Write a single value."))]
        elif value is not None:
            data[key] = value
    pairs = _referral_pairs(payload.get("referrals") or [])
    if pairs is None:
        errors["referrals"] = [str(_("Referrals are whole numbers per service type."))]
        return data, errors
    for key, value in pairs:
        name = f"{prefix}{key}"
        if name in data:
            errors["referrals"] = [str(_("Each service type may be named only once."))]
        data[name] = value
    return data, errors


def _referral_pairs(referrals) -> list[tuple[object, object]] | None:
    """(service type, count) pairs from either shape; None for anything else."""
    if isinstance(referrals, dict):
        return list(referrals.items())
    if not isinstance(referrals, list):
        return None
    if not all(
        isinstance(item, dict) and set(item) == {"service_type", "count"} for item in referrals
    ):
        return None
    return [(item["service_type"], item["count"]) for item in referrals]


def unknown_referrals(data: Mapping, form: ReferralsMixin) -> list[str]:
    """Referral keys in the data that are no service type of the form."""
    known = {f"{form.referral_prefix}{t.pk}" for t in form.service_types}
    return [
        key.removeprefix(form.referral_prefix)
        for key in data
        if key.startswith(form.referral_prefix) and key not in known
    ]
