"""
Danish public holidays, from the maintained ``holidays`` library, and the special
days (``settings.SPECIAL_DAYS``: Christmas Eve, New Year's Eve, Constitution Day)
that are no public holidays but on which most cafés close.
"""

import datetime as dt
import functools

import holidays
from django.conf import settings


@functools.cache
def _danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def holiday_name(day: dt.date) -> str:
    """The Danish public holiday on ``day`` (its Danish name), or ''."""
    return _danish_holidays(day.year).get(day, "")


def holiday_fields(day: dt.date) -> dict[str, object]:
    """A visit's holiday fields for ``day``: set them wherever a visit gets a date."""
    name = holiday_name(day)
    return {"is_holiday": bool(name), "holiday_name": name}


def special_day_name(day: dt.date) -> str:
    """The special day on ``day`` (settings.SPECIAL_DAYS, "MM-DD" → name), or ''."""
    return settings.SPECIAL_DAYS.get(f"{day:%m-%d}", "")
