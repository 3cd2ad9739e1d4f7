"""Template helpers for the volunteers' pages: the configuration the phone's scripts read."""

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from visits.models import VisitReport
from visits.services import REPORT_DATA_FIELDS

register = template.Library()


@register.filter
def day_label(day: dt.date) -> str:
    """
    "onsdag 2. december": Danish writes weekdays and months in lower case (Django's
    Danish names begin with a capital when they stand alone); English keeps its capitals.
    """
    label = date_filter(day, "l j. F")
    return label.lower() if (get_language() or "da").startswith("da") else label


@register.simple_tag(takes_context=True)
def volunteer_config(context) -> dict:
    """
    The signed-in user (so the phone sends only its own user's queue) and the
    texts of the scripts, translated here: the scripts hold no language of their own.
    """
    request = context["request"]
    labels = {
        name: str(VisitReport._meta.get_field(name).verbose_name).capitalize()
        for name in REPORT_DATA_FIELDS
    }
    return {
        "userId": request.user.pk,
        "todayUrl": reverse("today"),
        "bundleUrl": reverse("today_bundle"),
        "reportShellUrl": reverse("report_form_shell"),
        "labels": labels,
        "texts": {
            "waiting": _("Waiting"),
            "sending": _("Sending …"),
            "sent": _("Sent"),
            "attention": _("Needs attention"),
            "unsentHeading": _("Not sent yet"),
            "allSent": _("Everything is sent"),
            "kind_report": _("Report"),
            "kind_home_visit": _("Home visit"),
            "kind_checkin": _("Check-in"),
            "kind_answer": _("Answer to a shift"),
            "answerQueued": _("Your answer is kept on the phone and sent when there is signal."),
            "remove": _("Remove"),
            "removeConfirm": _("Remove this from the phone? It has not been stored."),
            "fix": _("Correct"),
            "keepStored": _("Keep the stored one"),
            "replaceWithMine": _("Replace it with mine"),
            "stored": _("Stored"),
            "mine": _("Mine"),
            "conflict": _("The visit already has a report. Choose which one counts."),
            "conflictNoReplace": _(
                "The visit already has a report that you may not replace. Ask your "
                "coordinator, or keep the stored one."
            ),
            "referrals": _("Referrals"),
            "offline": _(
                "No connection. Reports are kept on the phone and sent when there is signal."
            ),
            "backOnline": _("Connection is back. Sending …"),
            "loggedOut": _("You are logged out. Log in again to send."),
            "tryLater": _("Not sent yet: it is tried again by itself."),
            "savedOffline": _("Saved on the phone. It is sent by itself when there is signal."),
            "sentThanks": _("Sent. Thank you!"),
            "checkedIn": _("Checked in"),
            "reportSent": _("Report sent"),
            "offlineReady": _(
                "Ready without signal: this page and %(count)s forms are kept on the phone."
            ),
            "unsentWarning_one": ngettext(
                "You have %(count)s item on the phone that is not sent yet.",
                "You have %(count)s items on the phone that are not sent yet.",
                1,
            ),
            "unsentWarning_other": ngettext(
                "You have %(count)s item on the phone that is not sent yet.",
                "You have %(count)s items on the phone that are not sent yet.",
                2,
            ),
            "queuedWaiting": _("Waiting to be sent"),
            "changeQueued": _("Change the waiting report"),
            "editingQueued": _(
                "You are changing the report that waits on the phone; it is sent instead."
            ),
            "savedSending": _("Saved on the phone – sending"),
            "checkFields": _("Please check the marked fields."),
            "storedSent": _("The stored one was sent %(when)s."),
            "storagePersisted": _(
                "Reports are kept safely on this phone until they are sent: the browser "
                "has promised not to clear them."
            ),
            "storageNotPersisted": _(
                "The browser may clear what is kept on this phone when space runs short. "
                "Add Drive-in to the home screen, and send reports when you have signal."
            ),
            "storageUnknown": _("This browser does not say whether it keeps the reports safely."),
            "invalid": _("Write a whole number."),
            "negative": _("The number cannot be negative."),
            "tooBig": _("At most %(limit_value)s. Please check the number."),
            "notAbove": _("“Of whom new” cannot be more than “people met”."),
            "identifier": _(
                "Write no names, CPR numbers, phone numbers or e-mail addresses in the note."
            ),
            "tooLong": _("The note is too long (at most %(limit_value)s characters)."),
            # The usual range of a stop (visits/ranges.py): the same words as the server's.
            "rangePeople": _(
                "Usually %(low)s–%(high)s people come here. You wrote %(value)s. Is that right?"
            ),
            "rangeOther": _("Usually %(low)s–%(high)s here. You wrote %(value)s. Is that right?"),
            "rangeConfirm": _("Correct the number, or tick “Yes, the numbers are right”."),
        },
    }
