from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import Preference

HOURS_CHOICES = [("", _("No reminder"))] + [(str(h), str(h)) for h in (1, 2, 3, 4, 6, 12)]


class PreferenceForm(forms.ModelForm):
    """The volunteer's choices on the profile: channels, reminder times, quiet hours."""

    remind_hours_before = forms.TypedChoiceField(
        label=_("Reminder hours before"),
        choices=HOURS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Preference
        fields = [
            "by_email",
            "by_sms",
            "by_push",
            "remind_day_before_at",
            "remind_hours_before",
            "quiet_from",
            "quiet_until",
        ]
        widgets = {
            name: forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            for name in ("remind_day_before_at", "quiet_from", "quiet_until")
        }
        help_texts = {
            "remind_day_before_at": _("Empty: no reminder the day before."),
            "quiet_until": _("No messages between these times (they may cross midnight)."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "push" not in settings.NOTIFICATION_CHANNELS:
            del self.fields["by_push"]
        volunteer = self.instance.volunteer
        if not volunteer.email:
            self.fields["by_email"].disabled = True
            self.fields["by_email"].help_text = _("We have no e-mail address for you.")
        if not volunteer.phone:
            self.fields["by_sms"].disabled = True
            self.fields["by_sms"].help_text = _("We have no phone number for you.")

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError(_("Quiet hours need both a start and an end."))
        return data
