"""
Who may see and change what: the one place that decides it.

Roles (DESIGN.md): an administrator (superuser) and leadership (the group named
LEADERSHIP_GROUP) reach every centre; leadership only reads. A coordinator reaches
the centres listed in ``CentreSite.coordinators``; a volunteer reads their home
centre. Everything outside a user's reach answers 404, so views fetch objects
through ``Model.objects.for_user(user)`` (read) or ``.editable_by(user)`` (write).
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any, Self

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.precompiled import Precompiled

# Anyone who asks, signed in or not (a signed-in user alone is an AbstractBaseUser).
AnyUser = AbstractBaseUser | AnonymousUser

LEADERSHIP_GROUP = "Ledelse"

# A user's centres hang on the user: the apps above define the relations, and the
# foundation follows them by name, as Django's auth follows ``user.groups``, so it
# imports none of those apps (``stops.models`` builds on this module).
# stops.CentreSite.coordinators (related_name): the centres a user coordinates.
COORDINATED_CENTRES = "coordinated_centres"
# volunteers.Volunteer.user (related_name), and the volunteer's one home centre.
VOLUNTEER = "volunteer"
CENTRE_OF_VOLUNTEER = "home_centre"
# stops.Funder.readers (related_name): the grants a funder's login reads.
FUNDER_GRANTS = "funder_grants"


class Role(StrEnum):
    ADMIN = "admin"
    LEADERSHIP = "leadership"
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    FUNDER = "funder"
    NONE = "none"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _("Administrator"),
    Role.LEADERSHIP: _("Leadership"),
    Role.COORDINATOR: _("Coordinator"),
    Role.VOLUNTEER: _("Volunteer"),
    Role.FUNDER: _("Funder"),
    Role.NONE: _("No role"),
}


def role_of(user: AnyUser) -> Role:
    """The user's highest role; cached on the user object for the request."""
    if not user.is_authenticated:
        return Role.NONE
    # Kept in the user object's own attributes: one computation per request.
    cached = vars(user).get("_drivein_role")
    if cached is not None:
        return cached
    role = _compute_role(user)
    vars(user)["_drivein_role"] = role
    return role


def _compute_role(user: Any) -> Role:
    if user.is_superuser:
        return Role.ADMIN
    found = _MEMBERSHIPS.rows(user.pk, using=user._state.db or "default")
    if not found:
        return Role.NONE
    is_leader, is_coordinator, is_volunteer, is_funder = found[0]
    if is_leader:
        return Role.LEADERSHIP
    if is_coordinator:
        return Role.COORDINATOR
    if is_volunteer:
        return Role.VOLUNTEER
    if is_funder:
        return Role.FUNDER
    return Role.NONE


def _memberships(user_pk: int) -> models.QuerySet:
    """One row of four flags: leadership, coordinator, active volunteer, grant reader."""
    users = get_user_model()._default_manager
    user = get_user_model()(pk=user_pk)
    return users.filter(pk=user_pk).values_list(
        models.Exists(Group.objects.filter(user=user_pk, name=LEADERSHIP_GROUP)),
        models.Exists(getattr(user, COORDINATED_CENTRES).all()),
        models.Exists(_related(VOLUNTEER)._default_manager.filter(user=user_pk, active=True)),
        models.Exists(getattr(user, FUNDER_GRANTS).all()),
    )


# Asked on every signed-in request: built in the ORM once, then only run (the same SQL).
_MEMBERSHIPS = Precompiled(_memberships, [int])


def _related(relation: str) -> type[models.Model]:
    """The model at the other end of one of the user's relations named above."""
    model = get_user_model()._meta.get_field(relation).related_model
    if not isinstance(model, type):
        raise LookupError(f"The user model has no relation {relation!r} to another model.")
    return model


# Who may do what, by role: the one definition; everyone else imports these sets.
# Report visits and log home visits (leadership only reads).
REPORTERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER})
# Change plans (rosters, patterns, the week), each for the centres they reach.
PLANNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Read plans and reach figures (volunteers see their own shifts instead).
READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP})
# Reach every centre.
EVERY_CENTRE = frozenset({Role.ADMIN, Role.LEADERSHIP})
# Read reach figures: the readers, and a funder (only their grants', reach.funder_access);
# a funder reaches no centre (visible_centre_ids is None), so every other page is 404.
REACH_READERS = READERS | {Role.FUNDER}


def can_report(user: AnyUser) -> bool:
    """Whether the user may report visits and log home visits at all."""
    return role_of(user) in REPORTERS


class _All(Enum):
    """Marker: no restriction by centre (an enum member, so ``is ALL`` narrows types)."""

    ALL = "all"


ALL = _All.ALL
# Centres a user reaches: ALL, a subquery of centre ids, or None for nothing.
SomeCentres = _All | models.QuerySet
CentreScope = SomeCentres | None


def visible_centre_ids(user: AnyUser) -> CentreScope:
    """Centres the user may read: ALL, a subquery of ids, or None for nothing."""
    role = role_of(user)
    if role in EVERY_CENTRE:
        return ALL
    if role == Role.COORDINATOR:
        return getattr(user, COORDINATED_CENTRES).values("pk")
    if role == Role.VOLUNTEER:
        # The centre of the user's active volunteer (a volunteer has one home centre).
        return (
            _related(VOLUNTEER)
            ._default_manager.filter(user=user, active=True)
            .values(CENTRE_OF_VOLUNTEER)
        )
    return None


def editable_centre_ids(user: AnyUser) -> CentreScope:
    """Centres whose plans the user may change (volunteers' reports are separate)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return ALL
    if role == Role.COORDINATOR:
        return getattr(user, COORDINATED_CENTRES).values("pk")
    return None


class CentreScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a centre through ``centre_lookup``."""

    centre_lookup = "centre"

    def _within(self, centre_ids: CentreScope) -> Self:
        if centre_ids is ALL:
            return self
        if centre_ids is None:
            return self.none()
        return self.filter(**{f"{self.centre_lookup}__in": centre_ids})

    def for_user(self, user: AnyUser) -> Self:
        """Rows the user may read."""
        return self._within(visible_centre_ids(user))

    def editable_by(self, user: AnyUser) -> Self:
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
    staff = getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
    return not staff and role_of(user) == Role.VOLUNTEER


def leadership_users(users: models.QuerySet) -> models.QuerySet:
    """The leadership among ``users`` (those in LEADERSHIP_GROUP)."""
    return users.filter(groups__name=LEADERSHIP_GROUP).distinct()
