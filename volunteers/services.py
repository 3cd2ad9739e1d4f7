"""
Writes for the volunteers' own pages: checking in to a shift, a new calendar link,
and the one-time login links that coordinators send.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from core.access import Role, role_of
from core.text import danish_slugify
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.models import Assignment, Volunteer, new_calendar_token


@transaction.atomic
def assignment_check_in(*, visit: Visit, volunteer: Volunteer, at: dt.datetime | None = None):
    """
    Record that the volunteer was at their shift (for volunteer hours). Idempotent:
    the first check-in stands. ``at`` is when the phone says it was tapped (it may
    have waited offline); a time outside the visit's day or in the future gives
    way to now. Raises Assignment.DoesNotExist when it is not their shift.
    """
    assignment = Assignment.objects.select_for_update().get(visit=visit, volunteer=volunteer)
    if assignment.checked_in_at is not None:
        return assignment
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled; there is nothing to check in to."))
    now = timezone.now()
    if visit.date > timezone.localdate(now):
        raise ValidationError(_("You can check in on the day of the visit."))
    if at is None or at > now or timezone.localdate(at) != visit.date:
        at = now
    assignment.checked_in_at = at
    assignment.save(update_fields=["checked_in_at"])
    return assignment


def volunteer_reset_calendar_token(*, volunteer: Volunteer) -> Volunteer:
    """A new private calendar link; the old one stops working at once."""
    volunteer.calendar_token = new_calendar_token()
    volunteer.save(update_fields=["calendar_token"])
    return volunteer


def _free_username(name: str) -> str:
    user_model = get_user_model()
    base = danish_slugify(name).replace("-", ".")[:140] or "frivillig"
    candidate, number = base, 1
    while user_model._default_manager.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


@transaction.atomic
def volunteer_ensure_login(*, volunteer: Volunteer):
    """The volunteer's login, made (without a password) when they have none yet."""
    if volunteer.user_id is not None:
        return volunteer.user
    first, _space, last = volunteer.name.partition(" ")
    user = get_user_model()._default_manager.create_user(
        username=_free_username(volunteer.name),
        email=volunteer.email,
        first_name=first[:150],
        last_name=last[:150],
    )
    volunteer.user = user
    volunteer.save(update_fields=["user"])
    return user


@dataclass(frozen=True)
class LoginLink:
    url: str
    emailed_to: str  # empty when the volunteer has no email address


def link_login_allowed(user: AbstractUser | AnonymousUser) -> bool:
    """
    Whether a one-time link may open this login: only a volunteer's. A login that can
    plan, lead or administer (local staff may have a volunteer profile too) uses its
    password, or a coordinator could make a link to log in as someone above them.
    """
    return not (user.is_staff or user.is_superuser) and role_of(user) == Role.VOLUNTEER


def login_link_send(*, volunteer: Volunteer, base_url: str) -> LoginLink:
    """
    Make a one-time login link for the volunteer (valid 7 days, works once) and
    email it when they have an address. ``base_url`` is the site's address
    ("https://drivein.example.org"); the coordinator may also paste the link into
    an SMS.
    """
    if not volunteer.active:
        raise ValidationError(_("The volunteer is not active."))
    user = volunteer_ensure_login(volunteer=volunteer)
    if not user.is_active:
        raise ValidationError(_("The volunteer's login is switched off; ask an administrator."))
    if not link_login_allowed(user):
        raise ValidationError(
            _(
                "This login belongs to a coordinator, leadership or an administrator, who log "
                "in with their password. Login links are only for volunteers."
            )
        )
    url = base_url.rstrip("/") + reverse("link_login") + get_query_string(user)
    if volunteer.email:
        context = {"volunteer": volunteer, "url": url}
        EmailMessage(
            subject=_("Your login to Drive-in"),
            body=render_to_string("volunteers/email/login_link.txt", context),
            to=[volunteer.email],
        ).send()
    return LoginLink(url=url, emailed_to=volunteer.email)
