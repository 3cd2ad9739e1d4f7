"""What every form that calls a service needs: the service's errors shown on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """
    Put a service's ValidationError on the form: each message on its field when the
    form has that field, else on the form as a whole (a rule about several fields, or
    a field the form does not show).
    """
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
