"""
Reminders in the volunteer's private calendar feed (VALARM, RFC 5545): the same
times as the messages, from the volunteer's Preference (the day before at a time of
day, and hours before the start), none when the volunteer turned them off, none on
a cancelled café. The feed builds them (public_pages/feeds.py, volunteer_calendar).

The day-before alarm is an absolute time in UTC (as RFC 5545 asks of a DATE-TIME
trigger), so it rings at 17.00 Danish time also across a change to summer time;
the hours-before alarm is relative to the event's start and moves with the café.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Preference
from visits.models import Visit
from volunteers.models import Volunteer


def preference_of(volunteer: Volunteer) -> Preference:
    """The volunteer's saved choice, or the defaults they have until they change it (one query)."""
    return Preference.objects.filter(volunteer=volunteer).first() or Preference.defaults_for(
        volunteer
    )


def _alarm(uid: str, trigger: dt.datetime | dt.timedelta, description: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("uid", uid)
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    if isinstance(trigger, dt.datetime):
        alarm.add("trigger", trigger.astimezone(dt.UTC))
    else:
        alarm.add("trigger", trigger, parameters={"RELATED": "START"})
    return alarm


def reminder_alarms(
    preference: Preference, visit: Visit, *, uid: str, summary: str, zone: ZoneInfo
) -> list[icalendar.Alarm]:
    """The event's alarms for this volunteer's choice: zero, one or two."""
    alarms = []
    start = visit.start_time.strftime("%H.%M")
    if preference.remind_day_before_at is not None:
        at = dt.datetime.combine(
            visit.date - dt.timedelta(days=1), preference.remind_day_before_at, tzinfo=zone
        )
        alarms.append(
            _alarm(
                f"{uid}-day-before",
                at,
                _("Tomorrow at %(time)s: %(summary)s") % {"time": start, "summary": summary},
            )
        )
    if preference.remind_hours_before:
        hours = preference.remind_hours_before
        alarms.append(
            _alarm(
                f"{uid}-hours-before",
                -dt.timedelta(hours=hours),
                ngettext(
                    "In %(hours)d hour, at %(time)s: %(summary)s",
                    "In %(hours)d hours, at %(time)s: %(summary)s",
                    hours,
                )
                % {"hours": hours, "time": start, "summary": summary},
            )
        )
    return alarms
