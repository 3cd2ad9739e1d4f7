"""The small forms of the shifts pages; the API's serializers ask for the same fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteers.choices import AssignmentAnswer, DeclineReason, VolunteerRole

ANSWERS = [
    (AssignmentAnswer.CONFIRMED, _("I am coming")),
    (AssignmentAnswer.DECLINED, _("I cannot come")),
]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=ANSWERS)
    reason = forms.ChoiceField(choices=DeclineReason.choices, required=False)
    # The personal-data rule runs on the model field (Assignment.decline_note).
    note = forms.CharField(max_length=200, required=False)
    submission_id = forms.UUIDField(required=False)

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "answer": data["answer"],
            "reason": data["reason"] or "",
            "note": data["note"].strip(),
            "submission_id": data["submission_id"],
        }


class TakeForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(VolunteerRole.DRIVER, _("Driver")), (VolunteerRole.HOST, _("Host"))]
    )


class HandOverForm(forms.Form):
    to_volunteer = forms.IntegerField(min_value=1, max_value=2**63 - 1)
