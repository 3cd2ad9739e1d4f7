"""Form fields shared by the pages that write a visit's free texts."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

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
