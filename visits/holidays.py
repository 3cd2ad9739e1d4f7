"""Danish public holidays, from the maintained ``holidays`` library."""

import datetime as dt
import functools

import holidays


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
