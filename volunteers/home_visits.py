"""
Logging a home visit (grusvejstur): the one service that the phone's form, the
phone's queue and the API all call, so that they cannot answer differently.

It lives in volunteers/, not visits/, because deciding who went needs the
volunteer profiles, which sit above the visits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Role, role_of
from stops.models import CentreSite
from visits import limits
from visits.models import HomeVisit, HomeVisitReferral
from visits.services import Outcome, referrals_clean, referrals_write
from volunteers.models import Volunteer


@dataclass(frozen=True)
class HomeVisitData:
    """
    What the sender says about a home visit. ``volunteer_id`` is who went as the sender
    names them: None means the sender themselves (their volunteer profile, if any).
    """

    centre_id: int
    date: dt.date
    duration_minutes: int
    note: str = ""
    volunteer_id: int | None = None
    referrals: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, home_visit: HomeVisit) -> HomeVisitData:
        """What a stored home visit says."""
        return cls(
            centre_id=home_visit.centre_id,
            date=home_visit.date,
            duration_minutes=home_visit.duration_minutes,
            note=home_visit.note,
            volunteer_id=home_visit.volunteer_id,
            referrals=dict(home_visit.referrals.values_list("service_type_id", "count")),
        )


class HomeVisitConflict(Exception):
    """
    The submission id is already a stored home visit with other data (HTTP 409):
    ``home_visit`` is that one if it is within the sender's reach, else None.
    """

    def __init__(self, home_visit: HomeVisit | None, message: str):
        super().__init__(message)
        self.home_visit = home_visit
        self.message = message


def _check_centre(user: AbstractBaseUser, centre_id: int) -> None:
    """A centre within the sender's reach that is still open."""
    centre = CentreSite.objects.for_user(user).filter(pk=centre_id).first()
    if centre is None:
        raise ValidationError({"centre": _("Unknown centre.")})
    if not centre.active:
        raise ValidationError(
            {"centre": _("The centre is closed; home visits are logged for an open centre.")}
        )


def _who_went(user: AbstractBaseUser, *, centre_id: int, named: int | None) -> int | None:
    """
    A volunteer logs their own home visits. Anyone else who may log them (a
    coordinator, an administrator) names one of the centre's volunteers, or nobody,
    and then went themselves: their own volunteer profile is recorded when they have
    one, as for a volunteer.
    """
    own = Volunteer.objects.active().filter(user=user).values_list("pk", flat=True).first()
    if named is None or named == own:
        return own
    if role_of(user) == Role.VOLUNTEER:
        raise ValidationError({"volunteer": _("You log your own home visits.")})
    reachable = Volunteer.objects.for_user(user).filter(pk=named, home_centre=centre_id)
    if not reachable.exists():
        raise ValidationError({"volunteer": _("Unknown volunteer at this centre.")})
    return named


def _check_date(day: dt.date) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"date": _("A home visit is logged after it has happened.")})
    if day < today - dt.timedelta(days=limits.HOME_VISIT_MAX_AGE_DAYS):
        raise ValidationError(
            {"date": _("A home visit is logged within a year; this date is too far back.")}
        )


def _home_visit_again(
    stored: HomeVisit, *, user: AbstractBaseUser, data: HomeVisitData
) -> tuple[HomeVisit, Outcome]:
    """
    The same submission id again: the stored home visit when it says the same and
    the sender may read it (a resent queue item), else a conflict that shows the
    stored one only within the sender's reach.
    """
    if not HomeVisit.objects.for_user(user).filter(pk=stored.pk).exists():
        raise HomeVisitConflict(
            None, _("This submission id belongs to another home visit; send it again as new.")
        )
    if HomeVisitData.of(stored) != data:
        raise HomeVisitConflict(stored, _("This home visit was already stored with other numbers."))
    return stored, Outcome.DUPLICATE


@transaction.atomic
def home_visit_submit(
    *, user: AbstractBaseUser, submission_id: uuid.UUID, data: HomeVisitData
) -> tuple[HomeVisit, Outcome]:
    """
    Log a home visit once. The centre must be within the sender's reach and open;
    who went is decided by _who_went. The same ``submission_id`` again with the same
    data returns the stored one (DUPLICATE); with other data, or someone else's, it
    is a HomeVisitConflict and nothing is changed. Raises ValidationError (a 400 at
    every door) for a centre, volunteer, date or number that cannot be.
    """
    _check_centre(user, data.centre_id)
    data = replace(
        data,
        volunteer_id=_who_went(user, centre_id=data.centre_id, named=data.volunteer_id),
        referrals=referrals_clean(data.referrals),
    )
    stored = HomeVisit.objects.filter(submission_id=submission_id).first()
    if stored is not None:
        return _home_visit_again(stored, user=user, data=data)
    _check_date(data.date)
    home_visit = HomeVisit(
        centre_id=data.centre_id,
        date=data.date,
        duration_minutes=data.duration_minutes,
        note=data.note,
        volunteer_id=data.volunteer_id,
        submission_id=submission_id,
        submitted_by=user,
    )
    # The unique submission id is left to the database: see below.
    home_visit.full_clean(validate_unique=False)
    try:
        # A savepoint: the same submission sent twice at once (the phone's queue)
        # passes the check above in both requests; the second insert then breaks the
        # unique submission id, and must still be able to read the first one.
        with transaction.atomic():
            home_visit.save()
            referrals_write(
                owner=home_visit, model=HomeVisitReferral, counts=data.referrals, user=user
            )
    except IntegrityError:
        stored = HomeVisit.objects.filter(submission_id=submission_id).first()
        if stored is None:
            raise
        return _home_visit_again(stored, user=user, data=data)
    return home_visit, Outcome.CREATED
