"""The profile's card for messages on the phone (templates/webpush/_profile_card.html)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from volunteers.models import Volunteer
from webpush.keys import push_enabled

register = template.Library()


@register.inclusion_tag("webpush/_profile_card.html")
def push_card(volunteer: Volunteer) -> dict:
    """
    The button, the phones that get messages now (one query), and what the script
    needs: the public key to subscribe with, the two addresses and its texts.
    """
    enabled = push_enabled()
    return {
        "enabled": enabled,
        "browsers": [
            agent or _("unknown browser")
            for agent in volunteer.push_subscriptions.values_list("user_agent", flat=True)
        ],
        "config": {
            "publicKey": settings.VAPID_PUBLIC_KEY,
            "subscribeUrl": reverse("push_subscribe"),
            "unsubscribeUrl": reverse("push_unsubscribe"),
            "texts": {
                "off": _("Messages are not switched on on this phone."),
                "on": _("Messages are switched on on this phone."),
                "working": _("One moment …"),
                "denied": _(
                    "You have said no to messages in the browser. Allow notifications "
                    "for Drive-in in the browser's settings for the site, and try again."
                ),
                "dismissed": _("The phone did not allow messages. Try again when you are ready."),
                "failed": _(
                    "The phone could not be signed up for messages. Try again when you have signal."
                ),
                "unsupported": _("This browser cannot show messages from Drive-in."),
                "iphone": _(
                    "On an iPhone: add Drive-in to the home screen first (Share, then Add to "
                    "Home Screen) and open it from there. It needs iOS 16.4 or newer."
                ),
            },
        }
        if enabled
        else {},
    }
