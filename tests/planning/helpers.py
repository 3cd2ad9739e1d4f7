"""Dates relative to today, so that the tests never go stale."""

import datetime as dt

from django.utils import timezone

from core.weeks import IsoWeek


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.isoweekday() + 1)


def next_week() -> IsoWeek:
    return IsoWeek.of(next_monday())


def on(weekday: int) -> dt.date:
    """That ISO weekday in next week."""
    return next_monday() + dt.timedelta(days=weekday - 1)
