"""
What shifts adds to the notifications' tick (registered by ShiftsConfig.ready(), since
notifications sits below shifts): the offer of an open place to each volunteer it was
made to, with the signed one-tap link, and "a volunteer declined" to the centre's
coordinators. Both are recorded under their keys, so a second tick sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications import due
from notifications import services as notify
from notifications.channels import get_channels
from notifications.choices import Kind
from notifications.models import Notification
from notifications.types import TYPES, MessageType, site_url, visit_start
from shifts.choices import OfferState
from shifts.models import Offer
from shifts.offer_links import offer_link_path
from shifts.selectors import offers_to_announce
from shifts.services import offer_mark_announced
from visits.models import Visit
from volunteers.choices import AssignmentAnswer
from volunteers.models import Assignment


def _when(visit: Visit) -> str:
    return f"{date_format(visit.date, 'l j. F')} {visit.start_time:%H.%M}"


class OfferMessage(MessageType):
    kind = Kind.OFFER
    template = "offer"

    def subject(self, context: dict[str, Any]) -> str:
        return _("A place for you: café in %(place)s on %(when)s") % {
            "place": context["visit"].stop.community,
            "when": context["when"],
        }

    def url(self, context: dict[str, Any]) -> str:
        return context["link"]

    def why_not_send(self, notification: Notification, now: dt.datetime) -> str | None:
        # The key is "offer:<pk>:<channel>".
        pk = int(notification.key.split(":")[1])
        if not Offer.objects.filter(pk=pk, state=OfferState.WAITING).exists():
            return _("The offer is no longer open.")
        if notification.visit is not None and visit_start(notification.visit) <= now:
            return _("The visit has begun.")
        return None


class DeclinedMessage(MessageType):
    kind = Kind.DECLINED
    template = "declined"

    def subject(self, context: dict[str, Any]) -> str:
        return _("Declined: %(name)s cannot come to %(place)s on %(when)s") % {
            "name": context["who"].name,
            "place": context["visit"].stop.community,
            "when": context["when"],
        }

    def url(self, context: dict[str, Any]) -> str:
        return site_url(context["week_url"])

    def why_not_send(self, notification: Notification, now: dt.datetime) -> str | None:
        # The key is "declined:<assignment>:<answered at>:<user>:email".
        pk = int(notification.key.split(":")[1])
        if not Assignment.objects.filter(pk=pk, answer=AssignmentAnswer.DECLINED).exists():
            return _("The volunteer has answered again since.")
        return None


def offers(now: dt.datetime) -> list[Notification]:
    """Each waiting offer not yet sent, to its volunteer; marks it announced."""
    channels = get_channels()
    rows: list[Notification] = []
    waiting = offers_to_announce().select_related("volunteer__notification_preference")
    for offer in waiting.filter(volunteer__active=True):
        volunteer = offer.volunteer
        if volunteer.anonymised_at is not None:
            continue
        pref = due.preference_of(volunteer)
        with translation.override("da"):
            context = {
                "volunteer": volunteer,
                "visit": offer.visit,
                "when": _when(offer.visit),
                "role": offer.get_role_display(),
                "link": site_url(offer_link_path(offer)),
            }
        rows += due.for_volunteer(
            volunteer,
            pref,
            key=f"offer:{offer.pk}",
            kind=Kind.OFFER,
            rendered=TYPES[Kind.OFFER].render(context),
            now=now,
            addresses=due.channels_for(volunteer, pref, channels),
            visit=offer.visit,
            expires=visit_start(offer.visit),
        )
        # Inside the tick's transaction: if recording fails, it is not marked either.
        offer_mark_announced(offer=offer, at=now)
    return rows


def declines(now: dt.datetime) -> list[Notification]:
    """Each decline of a shift still to come, once to each coordinator of the centre."""
    today = timezone.localdate(now)
    declined = (
        Assignment.objects.filter(
            answer=AssignmentAnswer.DECLINED, answered_at__isnull=False, visit__date__gte=today
        )
        .select_related("volunteer", "visit__stop__centre")
        .prefetch_related("visit__stop__centre__coordinators")
        .order_by("answered_at", "pk")
    )
    wanted = []
    for a in declined:
        base = f"declined:{a.pk}:{a.answered_at:%Y%m%dT%H%M%S%f}"
        users = [u for u in a.visit.stop.centre.coordinators.all() if u.is_active and u.email]
        wanted.append((a, base, users))
    known = due.known_keys(f"{base}:{u.pk}:email" for _a, base, users in wanted for u in users)
    rows: list[Notification] = []
    for a, base, users in wanted:
        fresh = [u for u in users if f"{base}:{u.pk}:email" not in known]
        if not fresh:
            continue
        with translation.override("da"):
            context = {
                "who": a.volunteer,
                "visit": a.visit,
                "when": _when(a.visit),
                "role": a.get_role_display(),
                "reason": a.get_decline_reason_display() if a.decline_reason else "",
                "late": a.answer_late,
                "week_url": reverse("planning:week", args=[a.visit.stop.centre_id]),
            }
            rendered = TYPES[Kind.DECLINED].render(context)
        for user in fresh:
            rows += due.for_user(
                user,
                key=f"{base}:{user.pk}",
                kind=Kind.DECLINED,
                rendered=rendered,
                now=now,
                centre=a.visit.stop.centre,
                visit=a.visit,
            )
    return rows


def register() -> None:
    TYPES.setdefault(Kind.OFFER, OfferMessage())
    TYPES.setdefault(Kind.DECLINED, DeclinedMessage())
    for source in (offers, declines):
        if source not in notify.SOURCES:
            notify.SOURCES.append(source)
