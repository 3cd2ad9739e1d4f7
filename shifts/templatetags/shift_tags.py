from django import template

from volunteers.choices import DeclineReason

register = template.Library()


@register.simple_tag
def decline_reasons() -> list[tuple[str, str]]:
    """The preset reasons of "Jeg kan ikke", for any page that shows the answer buttons."""
    return DeclineReason.choices
