"""
The kinds of message, one class each (as ephios' notification types): what it says on
each channel, and why a recorded one should no longer go out when its time comes.

Every message is rendered in Danish when it is recorded and kept in the log as sent.
None holds a participant's data: places, times, the team's names and links only.
SMS and push carry the minimum (place, time, link); every message says how to stop it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.choices import Kind
from notifications.models import Notification
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.models import Assignment
from volunteers.places import places_of

SHORT_CHANNELS = {"sms", "push"}


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def visit_start(visit: Visit) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(visit.date, visit.start_time))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str  # the e-mail's text part
    html: str
    short: str  # SMS and push
    url: str

    def body_for(self, channel: str) -> str:
        return self.short if channel in SHORT_CHANNELS else self.text


class MessageType:
    """One kind of message; ``template`` names its folder under templates/notifications/."""

    kind: str
    template: str

    def subject(self, context: dict[str, Any]) -> str:
        raise NotImplementedError

    def url(self, context: dict[str, Any]) -> str:
        return site_url(reverse("today"))

    def render(self, context: dict[str, Any]) -> Rendered:
        with translation.override("da"):
            context = {
                "site_url": settings.SITE_URL,
                "today_url": site_url(reverse("today")),
                "profile_url": site_url(reverse("profile")) + "#notifications",
                **context,
            }
            context["subject"] = subject = self.subject(context)
            context["url"] = url = self.url(context)
            folder = f"notifications/{self.template}"
            return Rendered(
                subject=subject,
                text=render_to_string(f"{folder}/email.txt", context).strip() + "\n",
                html=render_to_string(f"{folder}/email.html", context),
                short=" ".join(render_to_string(f"{folder}/short.txt", context).split()),
                url=url,
            )

    def why_not_send(self, notification: Notification, now: dt.datetime) -> str | None:
        """A reason to skip it now (the visit changed since), or None to send it."""
        return None


class Reminder(MessageType):
    template = "reminder"

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def subject(self, context: dict[str, Any]) -> str:
        return _("Reminder: café in %(place)s on %(when)s") % {
            "place": context["visit"].stop.community,
            "when": context["when"],
        }

    def why_not_send(self, notification: Notification, now: dt.datetime) -> str | None:
        visit = notification.visit
        if visit is None or visit.status != VisitStatus.PLANNED:
            return _("The visit is no longer planned.")
        # The key holds the time it was made for ("…:<date>T<HHMM>:<channel>").
        if notification.key.split(":")[3] != f"{visit.date}T{visit.start_time:%H%M}":
            return _("The visit has moved; the reminder for the new time is its own.")
        if not Assignment.objects.filter(visit=visit, volunteer=notification.volunteer).exists():
            return _("The volunteer is no longer on the visit.")
        if visit_start(visit) <= now:
            return _("The visit has begun.")
        return None


class VisitChanged(MessageType):
    kind = Kind.CHANGE
    template = "change"

    def subject(self, context: dict[str, Any]) -> str:
        return _("Changed: café in %(place)s") % {"place": context["place"]}


class Understaffed(MessageType):
    kind = Kind.UNDERSTAFFED
    template = "understaffed"

    def subject(self, context: dict[str, Any]) -> str:
        return _("Short of people: %(place)s on %(when)s") % {
            "place": context["visit"].stop.community,
            "when": context["when"],
        }

    def url(self, context: dict[str, Any]) -> str:
        visit = context["visit"]
        return site_url(reverse("planning:week", args=[visit.stop.centre_id]))

    def why_not_send(self, notification: Notification, now: dt.datetime) -> str | None:
        visit = notification.visit
        if visit is None or visit.status != VisitStatus.PLANNED or visit_start(visit) <= now:
            return _("The visit is no longer planned.")
        if places_of(visit).open == 0:
            return _("The visit has enough people now.")
        return None


class ReportMissing(MessageType):
    kind = Kind.REPORT_MISSING
    template = "report_missing"

    def subject(self, context: dict[str, Any]) -> str:
        return _("Report missing: %(count)s café(s) yesterday") % {"count": len(context["visits"])}

    def url(self, context: dict[str, Any]) -> str:
        return site_url(reverse("planning:week", args=[context["centre"].pk]))


class Digest(MessageType):
    """The weekly digest (reach/services.py renders its text; this adds the frame)."""

    kind = Kind.DIGEST
    template = "digest"

    def subject(self, context: dict[str, Any]) -> str:
        return context["digest_subject"]

    def url(self, context: dict[str, Any]) -> str:
        return site_url("/")


TYPES: dict[str, MessageType] = {
    Kind.REMINDER_DAY_BEFORE: Reminder(Kind.REMINDER_DAY_BEFORE),
    Kind.REMINDER_HOURS_BEFORE: Reminder(Kind.REMINDER_HOURS_BEFORE),
    Kind.CHANGE: VisitChanged(),
    Kind.UNDERSTAFFED: Understaffed(),
    Kind.REPORT_MISSING: ReportMissing(),
    Kind.DIGEST: Digest(),
}


def why_not_send(notification: Notification, now: dt.datetime) -> str | None:
    """Why a due notification must not go out now; None when it should."""
    volunteer = notification.volunteer
    if volunteer is not None and (not volunteer.active or volunteer.anonymised_at is not None):
        return _("The volunteer is inactive or anonymised.")
    if notification.volunteer_id is None and notification.user_id is None:
        return _("The recipient no longer exists.")
    if notification.user is not None and not notification.user.is_active:
        return _("The user is inactive.")
    kind = TYPES.get(notification.kind)
    return kind.why_not_send(notification, now) if kind else None
