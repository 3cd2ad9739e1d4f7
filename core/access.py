"""
Who may see and change what: the one place that decides it.

Roles (DESIGN.md): an administrator (superuser) and leadership (the group named
LEADERSHIP_GROUP) reach every centre; leadership only reads. A coordinator reaches
the centres listed in ``CentreSite.coordinators``; a volunteer reads their home
centre. Everything outside a user's reach answers 404, so views fetch objects
through ``Model.objects.for_user(user)`` (read) or ``.editable_by(user)`` (write).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

LEADERSHIP_GROUP = "Ledelse"


class Role(StrEnum):
    ADMIN = "admin"
    LEADERSHIP = "leadership"
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    NONE = "none"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _("Administrator"),
    Role.LEADERSHIP: _("Leadership"),
    Role.COORDINATOR: _("Coordinator"),
    Role.VOLUNTEER: _("Volunteer"),
    Role.NONE: _("No role"),
}


def role_of(user: AnyUser) -> Role:
    """The user's highest role; cached on the user object for the request."""
    if not user.is_authenticated:
        return Role.NONE
    cached = getattr(user, "_drivein_role", None)
    if cached is not None:
        return cached
    role = _compute_role(user)
    user._drivein_role = role
    return role


def _compute_role(user: Any) -> Role:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from stops.models import CentreSite
    from volunteers.models import Volunteer

    if user.is_superuser:
        return Role.ADMIN
    # One query answers all three memberships.
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            models.Exists(Group.objects.filter(user=user, name=LEADERSHIP_GROUP)),
            models.Exists(CentreSite.objects.filter(coordinators=user)),
            models.Exists(Volunteer.objects.filter(user=user, active=True)),
        )
        .first()
    )
    if flags is None:
        return Role.NONE
    is_leader, is_coordinator, is_volunteer = flags
    if is_leader:
        return Role.LEADERSHIP
    if is_coordinator:
        return Role.COORDINATOR
    if is_volunteer:
        return Role.VOLUNTEER
    return Role.NONE


# Who may do what, by role: the one definition; everyone else imports these sets.
# Report visits and log home visits (leadership only reads).
REPORTERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER})
# Change plans (rosters, patterns, the week), each for the centres they reach.
PLANNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Read plans and reach figures (volunteers see their own shifts instead).
READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP})
# Reach every centre.
EVERY_CENTRE = frozenset({Role.ADMIN, Role.LEADERSHIP})


def can_report(user: AnyUser) -> bool:
    """Whether the user may report visits and log home visits at all."""
    return role_of(user) in REPORTERS


class _All:
    """Marker: no restriction by centre."""


ALL = _All()


def visible_centre_ids(user: AnyUser) -> _All | models.QuerySet | None:
    """Centres the user may read: ALL, a subquery of ids, or None for nothing."""
    from stops.models import CentreSite

    role = role_of(user)
    if role in EVERY_CENTRE:
        return ALL
    if role == Role.COORDINATOR:
        return CentreSite.objects.filter(coordinators=user).values("pk")
    if role == Role.VOLUNTEER:
        return CentreSite.objects.filter(volunteers__user=user, volunteers__active=True).values(
            "pk"
        )
    return None


def editable_centre_ids(user: AnyUser) -> _All | models.QuerySet | None:
    """Centres whose plans the user may change (volunteers' reports are separate)."""
    from stops.models import CentreSite

    role = role_of(user)
    if role == Role.ADMIN:
        return ALL
    if role == Role.COORDINATOR:
        return CentreSite.objects.filter(coordinators=user).values("pk")
    return None


class CentreScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a centre through ``centre_lookup``."""

    centre_lookup = "centre"

    def _within(self, centre_ids: _All | models.QuerySet | None) -> models.QuerySet:
        if centre_ids is ALL:
            return self
        if centre_ids is None:
            return self.none()
        return self.filter(**{f"{self.centre_lookup}__in": centre_ids})

    def for_user(self, user: AnyUser) -> models.QuerySet:
        """Rows the user may read."""
        return self._within(visible_centre_ids(user))

    def editable_by(self, user: AnyUser) -> models.QuerySet:
        """Rows the user may change as a planner (administrator or coordinator)."""
        return self._within(editable_centre_ids(user))


# Role decisions that other modules used to make for themselves --------------


def is_administrator(user: AnyUser) -> bool:
    """An administrator (superuser): the only one who sees secrets and wipes data in the admin."""
    return role_of(user) == Role.ADMIN


def may_log_in_by_link(user: AnyUser) -> bool:
    """
    Whether a one-time link may open this login: only a volunteer's. A login that can
    plan, lead or administer (local staff may have a volunteer profile too) uses its
    password, or a coordinator could make a link to log in as someone above them.
    """
    return not (user.is_staff or user.is_superuser) and role_of(user) == Role.VOLUNTEER


def leadership_users(users: models.QuerySet) -> models.QuerySet:
    """The leadership among ``users`` (those in LEADERSHIP_GROUP)."""
    return users.filter(groups__name=LEADERSHIP_GROUP).distinct()
