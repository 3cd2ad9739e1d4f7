"""
One answer to "is this visit still to come?" for everything that changes the plan
by itself: generating visits from patterns, bringing visits in line with a changed
pattern, taking a stop off the roster and putting it back.

A visit is still to come when it starts after now, Danish time (visits carry the
wall-clock date and time of the stop): on a later day, or later today. Why not
"from tomorrow": a pattern made at eight in the morning should still give this
afternoon's café, and a stop taken off the roster in the morning should not leave
its afternoon café planned with nobody driving there. Why not "from today": a café
that has started or is over belongs to the volunteers. It may be held or reported,
or its report may wait on a phone without signal; moving, deleting or cancelling
it underneath them would refuse that report or make the day look unreported.

Every function takes ``now`` (an aware datetime, default this moment) so that tests
can say what time it is.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: this moment) on the clock in Denmark, where visits are dated."""
    return timezone.localtime(now or timezone.now(), timezone.get_default_timezone())


def start_of_day(day: dt.date) -> dt.datetime:
    """
    The moment just before ``day`` begins in Denmark: as ``now``, every visit of
    that day is still to come (a café at 00:00 too, as "after" is strict).
    """
    midnight = timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )
    return midnight - dt.timedelta(microseconds=1)


def is_still_to_come(day: dt.date, start: dt.time, *, now: dt.datetime | None = None) -> bool:
    """Whether a visit on ``day`` starting at ``start`` starts after ``now``."""
    here = local_now(now)
    return (day, start) > (here.date(), here.time())


def still_to_come(*, now: dt.datetime | None = None, prefix: str = "") -> Q:
    """
    The same rule as a filter on a Visit's ``date`` and ``start_time`` (``prefix``
    for a related visit, e.g. ``"visit__"``).
    """
    here = local_now(now)
    return Q(**{f"{prefix}date__gt": here.date()}) | Q(
        **{f"{prefix}date": here.date(), f"{prefix}start_time__gt": here.time()}
    )
