"""Forms for absences, qualifications, attendance and the coordinator's volunteer edit.
They check the input's shape; volunteers.people_services applies the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import AsciiDateField
from visits.choices import Weekday
from volunteers.choices import AbsenceCategory, Attendance, QualificationKind
from volunteers.people_services import VOLUNTEER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AbsenceForm(forms.Form):
    starts_on = AsciiDateField(label=_("From"), widget=DATE)
    ends_on = AsciiDateField(label=_("To (inclusive)"), widget=DATE)
    category = forms.ChoiceField(
        label=_("Why"), choices=AbsenceCategory.choices, initial=AbsenceCategory.HOLIDAY
    )


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qualification"), choices=QualificationKind.choices)
    issued_on = AsciiDateField(label=_("Issued"), required=False, widget=DATE)
    valid_until = AsciiDateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Empty when it does not expire."),
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        choices=[(Attendance.PRESENT, _("Present")), (Attendance.NO_SHOW, _("No-show"))]
    )


class VolunteerForm(forms.Form):
    """A volunteer's details, roles and usual weekdays, as the coordinator edits them."""

    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_driver = forms.BooleanField(label=_("Driver"), required=False)
    is_host = forms.BooleanField(label=_("Host"), required=False)
    is_local_staff = forms.BooleanField(label=_("Local staff"), required=False)
    is_adviser = forms.BooleanField(label=_("Adviser"), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Usually free on"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_date = AsciiDateField(
        label=_("Consent given"),
        required=False,
        widget=DATE,
        help_text=_("When the volunteer agreed that we keep these details."),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Switched off, the volunteer is no longer planned and cannot log in here."),
    )

    @classmethod
    def initial_of(cls, volunteer) -> dict:
        initial = {name: getattr(volunteer, name) for name in VOLUNTEER_FIELDS}
        initial["weekdays"] = volunteer.weekdays
        return initial

    def service_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in VOLUNTEER_FIELDS if name in self.cleaned_data
        }
        data["available_weekdays"] = "".join(
            str(day) for day in sorted(set(self.cleaned_data["weekdays"]))
        )
        return data
