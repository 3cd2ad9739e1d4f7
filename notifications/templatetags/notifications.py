"""The profile's "Messages" section, drawn from the notifications app (no edit to the view)."""

from django import template

from notifications.forms import PreferenceForm
from notifications.models import Preference
from volunteers.models import Volunteer

register = template.Library()


@register.inclusion_tag("notifications/_profile.html", takes_context=True)
def notification_preferences(context: template.Context, volunteer: Volunteer) -> dict:
    pref = Preference.objects.filter(volunteer=volunteer).first()
    return {
        "notification_form": PreferenceForm(instance=pref or Preference.defaults_for(volunteer)),
        "csrf_token": context.get("csrf_token"),
    }
