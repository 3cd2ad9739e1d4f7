"""
Numbers, dates and times as people type them: the digits 0–9 only.

Python's ``int()`` reads every Unicode digit ("١٢" and "１２" are 12), and so do
Django's and Django REST framework's integer fields. A count typed in another
script is refused with a Danish message instead of being stored as a number
nobody wrote (dates and times alike: strptime reads them too). Every integer,
date and time input on a request path goes through these: the
phone's forms (and so its JSON), the coordinators' ModelForms
(``formfield_callback``), the admin (``core.admin_site``) and the API's input
serializers (``api.serializers``).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

OTHER_DIGITS_MESSAGE = _("Write the number with the digits 0–9.")
UUID_MESSAGE = _("Must be a UUID such as 3f2c9a1e-8b4d-4c2a-9e1f-0a1b2c3d4e5f.")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def has_other_digits(value: Any) -> bool:
    """Whether ``value`` is text holding a digit other than 0–9 ("٣", "３", "²")."""
    return isinstance(value, str) and any(ch.isdigit() and not "0" <= ch <= "9" for ch in value)


def refuse_other_digits(value: Any) -> None:
    if has_other_digits(value):
        raise ValidationError(OTHER_DIGITS_MESSAGE, code="invalid")


if TYPE_CHECKING:
    _Field = forms.Field  # the mixin's host, for the type checker
else:
    _Field = object


class AsciiDigits(_Field):
    """A form field that refuses text with digits other than 0–9 before reading it."""

    def to_python(self, value):
        refuse_other_digits(value)
        return super().to_python(value)


class AsciiIntegerField(AsciiDigits, forms.IntegerField):
    """Django's IntegerField, reading only the digits 0–9."""


class AsciiDateField(AsciiDigits, forms.DateField):
    """A date in the digits 0–9 (strptime would read "٢٠٢٦-١٢-٠١")."""


class AsciiTimeField(AsciiDigits, forms.TimeField):
    """A time of day in the digits 0–9."""


class AsciiModelChoiceField(AsciiDigits, forms.ModelChoiceField):
    """A choice of a row by its id, written with the digits 0–9."""


class AsciiModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            refuse_other_digits(item)
        return super().clean(value)


def ascii_form_class(db_field: models.Field) -> type[forms.Field] | None:
    """The form field class a model field gets for typed input, or None for Django's."""
    if db_field.choices:
        return None  # a choice is compared as text: "٣" is no choice
    if isinstance(db_field, models.ManyToManyField):
        return AsciiModelMultipleChoiceField
    if isinstance(db_field, models.ForeignKey):
        return AsciiModelChoiceField
    if isinstance(db_field, models.IntegerField):
        return AsciiIntegerField
    if isinstance(db_field, models.DateTimeField):
        return None  # the admin splits it into a date and a time of its own
    if isinstance(db_field, models.DateField):
        return AsciiDateField
    if isinstance(db_field, models.TimeField):
        return AsciiTimeField
    return None


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's ``formfield_callback``: integers and ids in the digits 0–9."""
    form_class = ascii_form_class(db_field)
    if form_class is not None:
        kwargs.setdefault("form_class", form_class)
    return db_field.formfield(**kwargs)


def parse_uuid(value: Any) -> uuid.UUID:
    """
    A UUID as the phone writes it (8-4-4-4-12 hex digits). Not ``uuid.UUID()``
    alone: that reads 32 bare hex digits, braces and "urn:uuid:", and Django REST
    framework turns the JSON numbers 12 and true into UUIDs.
    """
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise ValidationError(UUID_MESSAGE, code="invalid")
    return uuid.UUID(value)


class StrictUUIDField(forms.UUIDField):
    """A submission id: a UUID written out in full, nothing else."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_uuid(value)
