"""
iCalendar feeds, built with the maintained ``icalendar`` library.

Each visit is one event with a UID that never changes, SEQUENCE from the visit's
version (so calendars notice moves), STATUS:CANCELLED for cancelled visits (they
stay in the feed, so a subscriber sees the cancellation rather than a silent
gap), times in Europe/Copenhagen with the matching VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import alarms
from stops.models import CentreSite
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.models import Assignment, Volunteer

PRODID = "-//Social Drive Out//Drive-in//DA"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Ask subscribers to look again every few hours.
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    return calendar


def location_of(visit: Visit) -> str:
    stop = visit.stop
    return ", ".join(part for part in (stop.venue_name, stop.address) if part)


def _event(
    visit: Visit, *, uid: str, summary: str, description: str, url: str = ""
) -> icalendar.Event:
    zone = _zone()
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("last-modified", visit.updated_at)
    event.add("sequence", visit.version)
    event.add("dtstart", dt.datetime.combine(visit.date, visit.start_time, tzinfo=zone))
    event.add("dtend", dt.datetime.combine(visit.date, visit.end_time, tzinfo=zone))
    event.add("summary", summary)
    event.add("location", location_of(visit))
    if visit.stop.latitude is not None and visit.stop.longitude is not None:
        event.add("geo", (float(visit.stop.latitude), float(visit.stop.longitude)))
    cancelled = visit.status == VisitStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _finish(calendar: icalendar.Calendar, days: list[dt.date]) -> bytes:
    if days:
        # A VTIMEZONE covering the feed's dates (summer and winter time).
        calendar.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=366),
            last_date=max(days) + dt.timedelta(days=366),
        )
    return calendar.to_ical()


def centre_calendar(centre: CentreSite, visits: Iterable[Visit], *, host: str, stop_url) -> bytes:
    """The centre's cafés: times, venue and address; nothing about people."""
    calendar = _calendar(_("Mobile café from %(centre)s") % {"centre": centre.name})
    days = []
    for visit in visits:
        days.append(visit.date)
        cancelled = visit.status == VisitStatus.CANCELLED
        summary = _("Mobile café in %(community)s") % {"community": visit.stop.community}
        description = _("The café is cancelled.") if cancelled else ""
        if cancelled:
            summary = _("CANCELLED: %(summary)s") % {"summary": summary}
        elif visit.holiday_unconfirmed:
            description = _(
                "%(holiday)s is a public holiday: this café has not been confirmed yet."
            ) % {"holiday": visit.holiday_name}
        calendar.add_component(
            _event(
                visit,
                uid=f"visit-{visit.pk}@{host}",
                summary=summary,
                description=description,
                url=stop_url(visit.stop),
            )
        )
    return _finish(calendar, days)


def volunteer_calendar(
    volunteer: Volunteer, assignments: Iterable[Assignment], *, host: str
) -> bytes:
    """One volunteer's own shifts, with the role, what to know about the place and reminders."""
    calendar = _calendar(_("My shifts – Drive-in"))
    preference = alarms.preference_of(volunteer)
    days = []
    for assignment in assignments:
        visit = assignment.visit
        days.append(visit.date)
        summary = _("%(role)s: %(community)s") % {
            "role": assignment.get_role_display(),
            "community": visit.stop.community,
        }
        lines = []
        if visit.status == VisitStatus.CANCELLED:
            summary = _("CANCELLED: %(summary)s") % {"summary": summary}
            lines.append(_("Cancelled: %(reason)s") % {"reason": visit.cancel_reason})
        if visit.stop.access_notes:
            lines.append(visit.stop.access_notes)
        if visit.stop.coverage_notes:
            lines.append(visit.stop.coverage_notes)
        uid = f"shift-{visit.pk}-{volunteer.pk}@{host}"
        event = _event(visit, uid=uid, summary=summary, description="\n".join(lines))
        # Reminders as the volunteer chose them for messages (none on a cancelled café).
        if visit.status != VisitStatus.CANCELLED:
            for alarm in alarms.reminder_alarms(
                preference, visit, uid=uid, summary=summary, zone=_zone()
            ):
                event.add_component(alarm)
        calendar.add_component(event)
    return _finish(calendar, days)
