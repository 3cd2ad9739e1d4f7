"""Form fields shared by the pages and the admin that write visits and patterns."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import formfield as ascii_formfield
from visits.validators import validate_no_personal_data


class FreeTextField(forms.CharField):
    """
    A free text that others read (a note, a reason for cancelling): no CPR or phone
    numbers, no e-mail addresses. A text over max_length is refused for its length
    alone, before the rule's patterns read it (a form field runs every validator).
    """

    def __init__(self, *, rule=validate_no_personal_data, **kwargs):
        self.default_validators = [rule]
        super().__init__(**kwargs)

    def run_validators(self, value) -> None:
        if value not in self.empty_values and self.max_length is not None:
            MaxLengthValidator(self.max_length)(value)
        super().run_validators(value)


def model_bounds(db_field: models.Field) -> dict[str, int]:
    """
    A number's least and greatest value as its model field's MinValueValidator and
    MaxValueValidator say (the strictest of them): Django does not pass them on to
    a model form, so a number out of range reached the model's own checks.
    """
    if not isinstance(db_field, models.IntegerField) or db_field.choices or db_field.is_relation:
        return {}
    bounds = {}
    highs = [v.limit_value for v in db_field.validators if isinstance(v, MaxValueValidator)]
    lows = [v.limit_value for v in db_field.validators if isinstance(v, MinValueValidator)]
    if highs:
        bounds["max_value"] = min(highs)
    if lows:
        bounds["min_value"] = max(lows)
    return bounds


def bounded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model form's field whose number refuses what its model field refuses, with
    the form's message, whose input carries min and max, and that reads the digits
    0–9 only (core.fields.formfield; a formfield_callback)."""
    return ascii_formfield(db_field, **{**model_bounds(db_field), **kwargs})
