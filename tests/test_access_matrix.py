# ruff: noqa: E501  (the access table reads best one row per line)
"""
WHO MAY DO WHAT. This table is the documentation of access in Drive-in: every page,
API endpoint, export and feed, tried as anonymous, a volunteer of the centre, the
centre's coordinator, the coordinator of another centre, leadership and an
administrator, with the status each gets. Anything outside a user's reach is a 404
(never a 403: we do not confirm that it exists); a role that may see but not do
gets 403; anonymous visitors are sent to log in (302) or, in the API and the
phone's JSON queue, get 401. Public pages and feeds answer everyone alike. Pages
only for volunteers (Today, profile) show anyone else a page saying so (200); their
actions (check-in, a new calendar link, the data download) are 404 for them.

To add a page: one `row(...)` line. URLs are templates over the world below:
{centre} {other_centre} {stop} {other_stop} {slug} {other_slug} {visit}
{reported_visit} {other_visit} {home_visit} {other_home_visit} {calendar_token}
{week} {date} {service_type} {volunteer} {other_volunteer}, and for planning a day
next week {day} with {planned_visit}, {staffed_visit} (Vera on it as {assignment})
and {cancelled_visit}, the stop's {pattern}, today's {shift} on Vera's team, Vera's
{absence} (on {day}), {qualification} and {past_assignment} (yesterday), and
{login_token} / {login_query} (a one-time login link for Vera), Vera's {offer} and its
signed link's {offer_token}, the grant of the centre's stop {grant} and its share
links {share_token} (valid a week) and {expired_share_token}. The funder of that
grant has a column of her own, FUNDER, below the table. A JSON body goes in
``body=``, an HTML form's fields in ``form=``: bodies are valid, so that a status
tells who may do it, not what was typed (and a redirect that flashes an error fails
the row). A test at the end fails for any URL of the project that has no row.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from sesame.utils import get_query_string, get_token

from core.weeks import IsoWeek
from funders.models import ReportJob
from reach.share_links import SALT as SHARE_SALT
from shifts.models import HandOver, Offer, TakeRequest
from shifts.offer_links import offer_link_path
from stops.models import Funder, Van
from tests import factories as f
from tests.webpush.pushservice import Browser
from visits.choices import VisitStatus
from visits.models import HomeVisit
from volunteers.models import Absence, Qualification

ROLES = ("anonymous", "volunteer", "coordinator", "other_coordinator", "leadership", "admin")


@dataclass(frozen=True)
class Row:
    what: str
    method: str
    url: str
    expected: dict[str, int]
    body: Any = field(default=None, compare=False)
    form: Any = field(default=None, compare=False)


def row(what: str, method: str, url: str, *statuses: int, body=None, form=None) -> Row:
    """Statuses in the order of ROLES: anon, volunteer, coord, other coord, leader, admin."""
    assert len(statuses) == len(ROLES), what
    return Row(what, method, url, dict(zip(ROLES, statuses, strict=True)), body, form)


@dataclass(frozen=True)
class Later:
    """A world value made when a row is filled in, after the login: any login spends a
    one-time login link made before it."""

    make: Callable[[], str]

    def __format__(self, spec: str) -> str:
        return format(self.make(), spec)


def fields(**values):
    """An HTML form's fields; values may name the world, like ``version=1, date="{day}"``."""
    return lambda w: {name: str(value).format(**w) for name, value in values.items()}


def report(**counts):
    return lambda w: {"submission_id": str(uuid.uuid4()), "people_met": 5, **counts}


def push_subscription() -> dict:
    """What a browser's pushManager.subscribe() gives (keys made here, a real push service's host)."""
    browser = Browser()
    return {
        "endpoint": "https://fcm.googleapis.com/fcm/send/matrix",
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth_b64},
    }


def home_visit_at(centre_key: str):
    return lambda w: {
        "submission_id": str(uuid.uuid4()),
        "centre": w[centre_key],
        "date": w["date"],
        "duration_minutes": 45,
    }


# fmt: off
MATRIX = [
    #   what                                method  url                                     anon vol coord other lead admin
    # Pages
    row("home page",                        "GET",  "/",                                      302, 302, 200, 200, 302, 200),  # a volunteer goes on to Today, leadership to Reach
    row("login page",                       "GET",  "/accounts/login/",                       200, 200, 200, 200, 200, 200),
    # Planning: where a coordinator starts (their one centre's week, or a choice of centres)
    row("planning: my centres",             "GET",  "/planning/",                             302, 404, 302, 302, 200, 200),
    # Planning: the week and its visits (leadership reads, only planners change)
    row("week",                             "GET",  "/centres/{centre}/week/?week={week}",    302, 404, 200, 404, 200, 200),
    row("another centre's week",            "GET",  "/centres/{other_centre}/week/",          302, 404, 404, 200, 200, 200),
    row("week, printable",                  "GET",  "/centres/{centre}/week/print/?week={week}", 302, 404, 200, 404, 200, 200),
    row("plan the coming weeks",            "POST", "/centres/{centre}/week/generate/",       302, 404, 302, 404, 403, 302, form=fields()),
    row("new visit form",                   "GET",  "/centres/{centre}/visits/new/?date={day}", 302, 404, 200, 404, 403, 200),
    row("add a visit",                      "POST", "/centres/{centre}/visits/new/",          302, 404, 302, 404, 403, 302,
        form=fields(stop="{stop}", date="{day}", start_time="17:00", end_time="18:00")),
    row("a visit",                          "GET",  "/centres/{centre}/visits/{planned_visit}/", 302, 404, 200, 404, 200, 200),
    row("another centre's visit, here",     "GET",  "/centres/{centre}/visits/{other_visit}/", 302, 404, 404, 404, 404, 404),
    row("move a visit",                     "POST", "/centres/{centre}/visits/{planned_visit}/move/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1, date="{day}", start_time="11:00", end_time="13:00")),
    row("cancel a visit",                   "POST", "/centres/{centre}/visits/{planned_visit}/cancel/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1, reason="Sne")),
    row("cancel another centre's visit, here", "POST", "/centres/{centre}/visits/{other_visit}/cancel/", 302, 404, 404, 404, 403, 404,
        form=fields(version=1, reason="Sne")),
    row("restore a cancelled visit",        "POST", "/centres/{centre}/visits/{cancelled_visit}/restore/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1)),
    row("mark yesterday's visit held",      "POST", "/centres/{centre}/visits/{visit}/held/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1)),
    row("put a volunteer on a visit",       "POST", "/centres/{centre}/visits/{planned_visit}/people/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1, volunteer="{volunteer}", role="host")),
    row("take a volunteer off a visit",     "POST", "/centres/{centre}/visits/{staffed_visit}/people/{assignment}/remove/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1)),
    row("drive a visit with a van",         "POST", "/centres/{centre}/visits/{planned_visit}/van/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1, van="{van}")),
    row("another centre's van, here",       "POST", "/centres/{centre}/visits/{planned_visit}/van/", 302, 404, 404, 404, 403, 404,
        form=fields(version=1, van="{other_van}")),
    row("set one visit's team",             "POST", "/centres/{centre}/visits/{planned_visit}/team/", 302, 404, 302, 404, 403, 302,
        form=fields(version=1, places_wanted=3, needs_driver="false")),
    row("another centre's visit's team, here", "POST", "/centres/{centre}/visits/{other_visit}/team/", 302, 404, 404, 404, 403, 404,
        form=fields(version=1, places_wanted=3)),
    row("the day's route",                  "GET",  "/centres/{centre}/route/{day}/",         302, 404, 200, 404, 200, 200),
    row("one van's day route",              "GET",  "/centres/{centre}/route/{day}/?van={van}", 302, 404, 200, 404, 200, 200),
    row("another centre's van's route, here", "GET", "/centres/{centre}/route/{day}/?van={other_van}", 302, 404, 404, 404, 404, 404),
    row("drive the suggested order",        "POST", "/centres/{centre}/route/{day}/",         302, 404, 302, 404, 403, 302,
        form=fields(order="{staffed_visit}:1,{planned_visit}:1")),
    # Planning: the roster of stops and their weekly patterns
    row("roster",                           "GET",  "/centres/{centre}/roster/",              302, 404, 200, 404, 200, 200),
    row("move a stop in the roster",        "POST", "/centres/{centre}/roster/move/",         302, 404, 302, 404, 403, 302,
        form=fields(stop="{stop}", direction="down")),
    row("whether taking a place needs approval", "POST", "/centres/{centre}/roster/approval/", 302, 404, 302, 404, 403, 302,
        form=fields(places_need_approval="on")),
    row("new stop form",                    "GET",  "/centres/{centre}/stops/new/",           302, 404, 200, 404, 403, 200),
    row("add a stop",                       "POST", "/centres/{centre}/stops/new/",           302, 404, 302, 404, 403, 302,
        form=fields(community="Øster Assels", venue_name="Forsamlingshuset", venue_kind="village_hall", coverage="weak")),
    row("a stop",                           "GET",  "/centres/{centre}/stops/{stop}/",        302, 404, 200, 404, 200, 200),
    row("another centre's stop, here",      "GET",  "/centres/{centre}/stops/{other_stop}/",  302, 404, 404, 404, 404, 404),
    row("change a stop",                    "POST", "/centres/{centre}/stops/{stop}/",        302, 404, 302, 404, 403, 302,
        form=fields(community="Redsted", venue_name="Redsted Forsamlingshus", venue_kind="village_hall", coverage="good", slug="redsted")),
    row("take a stop off the roster",       "POST", "/centres/{centre}/stops/{stop}/active/", 302, 404, 302, 404, 403, 302,
        form=fields(active=0)),
    row("new pattern form",                 "GET",  "/centres/{centre}/stops/{stop}/patterns/new/", 302, 404, 200, 404, 403, 200),
    row("add a pattern",                    "POST", "/centres/{centre}/stops/{stop}/patterns/new/", 302, 404, 302, 404, 403, 302,
        form=fields(weekday=4, start_time="10:00", duration_minutes=90, every_n_weeks=1, valid_from="{day}")),
    row("a pattern",                        "GET",  "/centres/{centre}/stops/{stop}/patterns/{pattern}/", 302, 404, 200, 404, 403, 200),
    row("change a pattern",                 "POST", "/centres/{centre}/stops/{stop}/patterns/{pattern}/", 302, 404, 302, 404, 403, 302,
        form=fields(weekday=2, start_time="11:00", duration_minutes=120, every_n_weeks=1, valid_from="{date}")),
    # Public: no login, nothing about people (the volunteer's feed: the token is the key)
    row("public stop page",                 "GET",  "/s/{slug}/",                             200, 200, 200, 200, 200, 200),
    row("public stop page, unknown stop",   "GET",  "/s/ingen-saadan/",                       404, 404, 404, 404, 404, 404),
    row("stop poster",                      "GET",  "/s/{slug}/poster/",                      200, 200, 200, 200, 200, 200),
    row("centre calendar feed",             "GET",  "/calendar/centre/{centre}.ics",          200, 200, 200, 200, 200, 200),
    row("centre calendar feed, unknown",    "GET",  "/calendar/centre/999999.ics",            404, 404, 404, 404, 404, 404),
    row("volunteer's calendar feed",        "GET",  "/calendar/volunteer/{calendar_token}.ics", 200, 200, 200, 200, 200, 200),
    row("volunteer's calendar feed, unknown token", "GET", "/calendar/volunteer/ukendt.ics", 404, 404, 404, 404, 404, 404),
    # Volunteers on the phone (others logged in get a page saying it is for volunteers)
    row("today",                            "GET",  "/today/",                                302, 200, 200, 200, 200, 200),
    row("today's kept data (phone)",        "GET",  "/today/bundle.json",                     302, 200, 404, 404, 404, 404),
    row("report form kept offline",         "GET",  "/visits/report-form/",                   302, 200, 200, 200, 200, 200),
    row("report form",                      "GET",  "/visits/{visit}/report/",                302, 200, 200, 404, 200, 200),  # leadership: read only, no form
    row("another centre's report form",     "GET",  "/visits/{other_visit}/report/",          302, 404, 404, 200, 200, 200),
    row("a reported visit's report",        "GET",  "/visits/{reported_visit}/report/",       302, 200, 200, 404, 200, 200),
    row("report a visit (form)",            "POST", "/visits/{visit}/report/",                302, 302, 302, 404, 403, 302,
        form=report()),
    row("correct a report (form, version)", "POST", "/visits/{reported_visit}/report/",       302, 403, 302, 404, 403, 302,
        form=report(version=1)),
    row("report a visit (phone queue)",     "POST", "/visits/{visit}/report/",                401, 201, 201, 404, 403, 201,
        body=report()),
    row("report a reported visit (phone)",  "POST", "/visits/{reported_visit}/report/",       401, 409, 409, 404, 403, 409,
        body=report()),
    row("correct a report (phone, version)", "POST", "/visits/{reported_visit}/report/",      401, 403, 200, 404, 403, 200,
        body=report(version=1)),
    row("check in to my shift",             "POST", "/visits/{shift}/check-in/",              302, 302, 404, 404, 404, 404, form=fields()),
    row("check in (phone queue)",           "POST", "/visits/{shift}/check-in/",              401, 200, 404, 404, 404, 404,
        body=lambda w: {}),
    row("API check in to my shift",         "POST", "/api/v1/visits/{shift}/check-in/",       401, 200, 404, 404, 404, 404,
        body=lambda w: {}),
    row("home visit form",                  "GET",  "/home-visits/new/",                      302, 200, 200, 200, 403, 200),
    row("log a home visit (form)",          "POST", "/home-visits/new/",                      302, 302, 302, 400, 403, 302,
        form=home_visit_at("centre")),
    row("log a home visit (phone queue)",   "POST", "/home-visits/new/",                      401, 201, 201, 400, 403, 201,
        body=home_visit_at("centre")),
    row("profile",                          "GET",  "/profile/",                              302, 200, 200, 200, 200, 200),
    row("new private calendar link",        "POST", "/profile/calendar-link/",                302, 302, 404, 404, 404, 404, form=fields()),
    row("own data download (GDPR)",         "GET",  "/profile/data.json",                     302, 200, 404, 404, 404, 404),
    row("push: this phone gets messages",   "POST", "/profile/push/subscribe/",               401, 201, 404, 404, 404, 404,
        body=lambda w: push_subscription()),
    row("push: stop messages on this phone", "POST", "/profile/push/unsubscribe/",            401, 200, 404, 404, 404, 404,
        body=lambda w: {"endpoint": "https://fcm.googleapis.com/fcm/send/matrix"}),
    row("own message choices",              "POST", "/profile/notifications/",                302, 302, 404, 404, 404, 404,
        form=fields(by_email="on", remind_day_before_at="17:00", remind_hours_before="2")),
    row("a centre's messages not sent",     "GET",  "/centres/{centre}/notifications/failed/", 302, 404, 200, 404, 404, 200),
    # One-time login links: the link is the key, whoever is logged in
    row("login link, no token",             "GET",  "/accounts/link/",                        403, 403, 403, 403, 403, 403),
    row("login link: the button",           "GET",  "/accounts/link/{login_query}",           200, 302, 200, 200, 200, 200),
    row("login link: log in",               "POST", "/accounts/link/",                        302, 302, 302, 302, 302, 302,
        form=fields(sesame="{login_token}")),
    # The coordinator's list of the centre's volunteers (planners only: names and phones)
    row("volunteers: my centres",           "GET",  "/volunteers/",                           302, 404, 302, 302, 404, 200),
    row("a centre's volunteers",            "GET",  "/centres/{centre}/volunteers/",          302, 404, 200, 404, 404, 200),
    row("send a login link",                "POST", "/centres/{centre}/volunteers/{volunteer}/login-link/", 302, 404, 302, 404, 404, 302,
        form=fields()),
    # docs/people.md: the coordinator manages the centre's volunteers (planners only)
    row("add a volunteer (form)",           "GET",  "/centres/{centre}/volunteers/new/",      302, 404, 200, 404, 404, 200),
    row("add a volunteer",                  "POST", "/centres/{centre}/volunteers/new/",      302, 404, 302, 404, 404, 302,
        form=fields(name="Nina Ny", is_host="on", active="on", weekdays="2")),
    row("a volunteer's page",               "GET",  "/centres/{centre}/volunteers/{volunteer}/", 302, 404, 200, 404, 404, 200),
    row("another centre's volunteer, here", "GET",  "/centres/{centre}/volunteers/{other_volunteer}/", 302, 404, 404, 404, 404, 404),
    row("edit a volunteer (form)",          "GET",  "/centres/{centre}/volunteers/{volunteer}/edit/", 302, 404, 200, 404, 404, 200),
    row("edit a volunteer",                 "POST", "/centres/{centre}/volunteers/{volunteer}/edit/", 302, 404, 302, 404, 404, 302,
        form=fields(name="Vera Frivillig", is_driver="on", active="on")),
    row("record a volunteer's absence",     "POST", "/centres/{centre}/volunteers/{volunteer}/absences/", 302, 404, 302, 404, 404, 302,
        form=fields(starts_on="{date}", ends_on="{date}", category="illness")),
    row("delete a volunteer's absence",     "POST", "/centres/{centre}/volunteers/{volunteer}/absences/{absence}/delete/", 302, 404, 302, 404, 404, 302, form=fields()),
    row("set a qualification",              "POST", "/centres/{centre}/volunteers/{volunteer}/qualifications/", 302, 404, 302, 404, 404, 302,
        form=fields(kind="food_hygiene", valid_until="{day}")),
    row("delete a qualification",           "POST", "/centres/{centre}/volunteers/{volunteer}/qualifications/{qualification}/delete/", 302, 404, 302, 404, 404, 302, form=fields()),
    row("correct attendance",               "POST", "/centres/{centre}/volunteers/{volunteer}/attendance/{past_assignment}/", 302, 404, 302, 404, 404, 302,
        form=fields(attendance="no_show")),
    # docs/people.md: the volunteer's own absences on the phone
    row("my absences",                      "GET",  "/profile/absences/",                     302, 200, 200, 200, 200, 200),
    row("record my absence",                "POST", "/profile/absences/",                     302, 302, 404, 404, 404, 404,
        form=fields(starts_on="{date}", ends_on="{date}", category="holiday")),
    row("delete my absence",                "POST", "/profile/absences/{absence}/delete/",    302, 302, 404, 404, 404, 404, form=fields()),
    row("send another centre's volunteer a link, here", "POST", "/centres/{centre}/volunteers/{other_volunteer}/login-link/", 302, 404, 404, 404, 404, 404,
        form=fields()),
    # What makes the phone app work offline: public, nothing personal
    row("offline page",                     "GET",  "/offline/",                              200, 200, 200, 200, 200, 200),
    row("service worker",                   "GET",  "/sw.js",                                 200, 200, 200, 200, 200, 200),
    row("web app manifest",                 "GET",  "/manifest.webmanifest",                  200, 200, 200, 200, 200, 200),
    row("favicon",                          "GET",  "/favicon.ico",                           200, 200, 200, 200, 200, 200),  # the app's icon
    # For the load balancer: public, says nothing about anybody (docs/operations.md)
    row("health check",                     "GET",  "/healthz",                               200, 200, 200, 200, 200, 200),
    # Reach: leadership and administrators everything, a coordinator their own centres
    # (another centre's region or centre is a 404; the national level shows "your centres")
    row("reach dashboard",                  "GET",  "/reach/?week={week}",                    302, 404, 200, 200, 200, 200),
    row("reach of the own centre",          "GET",  "/reach/?week={week}&centre={centre}",    302, 404, 200, 404, 200, 200),
    row("reach of the own region",          "GET",  "/reach/?week={week}&region={region}",    302, 404, 200, 404, 200, 200),
    row("reach export CSV",                 "GET",  "/reach/export.csv?centre={centre}",      302, 404, 200, 404, 200, 200),
    row("reach export XLSX",                "GET",  "/reach/export.xlsx?centre={centre}",     302, 404, 200, 404, 200, 200),
    row("reach export for publication",     "GET",  "/reach/export.csv?week={week}&publication=1", 302, 404, 200, 200, 200, 200),
    # Funder reports (docs/funder-reports.md): the dashboard's reach; a background build is its reader's own
    row("funder report PDF",                "GET",  "/funders/{funder}/report/?week={week}",   302, 404, 200, 404, 200, 200),
    row("funder report of the other centre", "GET", "/funders/{other_funder}/report/?week={week}", 302, 404, 404, 200, 200, 200),
    row("funder report being built (leadership's)", "GET", "/funders/reports/{report_job}/", 302, 404, 404, 404, 200, 404),
    row("funder report built (leadership's)", "GET", "/funders/reports/{report_job}/report.pdf", 302, 404, 404, 404, 200, 404),
    row("data quality (own centres)",       "GET",  "/reach/quality/?week={week}",            302, 404, 200, 200, 200, 200),
    row("data quality of the own centre",   "GET",  "/reach/quality/?week={week}&centre={centre}", 302, 404, 200, 404, 200, 200),
    row("mark a café as checked",           "POST", "/reach/quality/{visit}/check/",          302, 404, 302, 404, 302, 302, form=fields()),
    # Funders (docs/funders.md): a grant's reach, and a share link for one grant and
    # period that answers everyone alike (signed: reach/share_links.py)
    row("reach of a grant",                 "GET",  "/reach/?week={week}&funder={grant}",     302, 404, 200, 404, 200, 200),
    row("the funder report of a grant",     "GET",  "/funders/{grant}/report/?week={week}",    302, 404, 200, 404, 200, 200),
    row("reach of a grant, its API",        "GET",  "/api/v1/reach/?week={week}&funder={grant}", 401, 404, 200, 404, 200, 200),
    row("make a share link",                "POST", "/reach/share/",                          302, 404, 200, 404, 200, 200,
        form=fields(funder="{grant}", days=7, week="{week}")),
    row("a share link",                     "GET",  "/shared/{share_token}/",                 200, 200, 200, 200, 200, 200),
    row("an expired share link",            "GET",  "/shared/{expired_share_token}/",         410, 410, 410, 410, 410, 410),
    row("an altered share link",            "GET",  "/shared/{share_token}x/",                404, 404, 404, 404, 404, 404),
    # Django admin (leadership and coordinators use the app, not the admin, unless made staff)
    row("admin",                            "GET",  "/admin/",                                302, 302, 302, 302, 302, 200),
    row("admin: volunteers",                "GET",  "/admin/volunteers/volunteer/",           302, 302, 302, 302, 302, 200),
    row("admin: a volunteer's history",     "GET",  "/admin/volunteers/volunteer/{volunteer}/history/", 302, 302, 302, 302, 302, 200),
    row("admin: API tokens",                "GET",  "/admin/authtoken/tokenproxy/",           302, 302, 302, 302, 302, 200),
    row("admin: login lockouts",            "GET",  "/admin/axes/accessattempt/",             302, 302, 302, 302, 302, 200),
    # API documentation
    row("API schema",                       "GET",  "/api/schema/",                           200, 200, 200, 200, 200, 200),
    row("API docs (Swagger UI)",            "GET",  "/api/docs/",                             200, 200, 200, 200, 200, 200),
    row("API token for a password",         "POST", "/api/v1/auth/token/",                    400, 400, 400, 400, 400, 400,
        body=lambda w: {"username": "nobody", "password": "wrong"}),
    # API: reading
    row("API centres",                      "GET",  "/api/v1/centres/",                       401, 200, 200, 200, 200, 200),
    row("API own centre",                   "GET",  "/api/v1/centres/{centre}/",              401, 200, 200, 404, 200, 200),
    row("API other centre",                 "GET",  "/api/v1/centres/{other_centre}/",        401, 404, 404, 200, 200, 200),
    row("API stops",                        "GET",  "/api/v1/stops/",                         401, 200, 200, 200, 200, 200),
    row("API own stop",                     "GET",  "/api/v1/stops/{stop}/",                  401, 200, 200, 404, 200, 200),
    row("API visits of a week",             "GET",  "/api/v1/visits/?week={week}",            401, 200, 200, 200, 200, 200),
    row("API own visit",                    "GET",  "/api/v1/visits/{visit}/",                401, 200, 200, 404, 200, 200),
    row("API other centre's visit",         "GET",  "/api/v1/visits/{other_visit}/",          401, 404, 404, 200, 200, 200),
    row("API a visit's report",             "GET",  "/api/v1/visits/{reported_visit}/report/", 401, 200, 200, 404, 200, 200),
    row("API home visits",                  "GET",  "/api/v1/home-visits/",                   401, 200, 200, 200, 200, 200),
    row("API own home visit",               "GET",  "/api/v1/home-visits/{home_visit}/",      401, 200, 200, 404, 200, 200),
    row("API reach of the country",         "GET",  "/api/v1/reach/?week={week}",             401, 404, 200, 200, 200, 200),
    row("API reach of the own centre",      "GET",  "/api/v1/reach/?centre={centre}",         401, 404, 200, 404, 200, 200),
    # API: writing (leadership reads everything and changes nothing)
    row("API report a visit",               "PUT",  "/api/v1/visits/{visit}/report/",         401, 201, 201, 404, 403, 201,
        body=report()),
    row("API report a reported visit",      "PUT",  "/api/v1/visits/{reported_visit}/report/", 401, 409, 409, 404, 403, 409,
        body=report()),
    row("API correct a report (version)",   "PUT",  "/api/v1/visits/{reported_visit}/report/", 401, 403, 200, 404, 403, 200,
        body=report(version=1)),
    row("API log a home visit",             "POST", "/api/v1/home-visits/",                   401, 201, 201, 400, 403, 201,
        body=home_visit_at("centre")),
    # docs/people.md: absences (own, or the centres' volunteers') and qualifications
    row("API absences",                     "GET",  "/api/v1/absences/",                      401, 200, 200, 200, 200, 200),
    row("API an absence",                   "GET",  "/api/v1/absences/{absence}/",            401, 200, 200, 404, 404, 200),
    row("API record an absence",            "POST", "/api/v1/absences/",                      401, 201, 201, 400, 403, 201,
        body=lambda w: {"volunteer": w["volunteer"], "starts_on": w["date"], "ends_on": w["date"], "category": "illness"}),
    row("API delete an absence",            "DELETE", "/api/v1/absences/{absence}/",          401, 204, 204, 404, 404, 204),
    row("API qualifications",               "GET",  "/api/v1/qualifications/",                401, 200, 200, 200, 200, 200),
    row("API a qualification",              "GET",  "/api/v1/qualifications/{qualification}/", 401, 200, 200, 404, 404, 200),
    row("API record a qualification",       "POST", "/api/v1/qualifications/",                401, 403, 201, 400, 403, 201,
        body=lambda w: {"volunteer": w["volunteer"], "kind": "food_hygiene"}),
    row("API delete a qualification",       "DELETE", "/api/v1/qualifications/{qualification}/", 401, 403, 204, 404, 404, 204),
    # Shifts (issue 13): a volunteer's own answers, takes, offers and hand-overs; the
    # coordinator's week of places and the requests to approve
    row("my shifts",                        "GET",  "/shifts/",                               302, 200, 200, 200, 200, 200),
    row("open places",                      "GET",  "/shifts/open/",                          302, 200, 200, 200, 200, 200),
    row("answer my shift",                  "POST", "/shifts/{assignment}/answer/",           302, 302, 404, 404, 404, 404,
        form=fields(answer="confirmed")),
    row("hand over my shift",               "POST", "/shifts/{assignment}/hand-over/",        302, 302, 404, 404, 404, 404,
        form=fields(to_volunteer="{colleague}")),
    row("take an open place",               "POST", "/shifts/open/{planned_visit}/take/",     302, 302, 404, 404, 404, 404,
        form=fields(role="host")),
    row("take another centre's place",      "POST", "/shifts/open/{other_visit}/take/",       302, 404, 404, 404, 404, 404,
        form=fields(role="host")),
    row("a place offered to me",            "GET",  "/shifts/offers/{offer}/",                302, 200, 404, 404, 404, 404),
    row("accept an offer",                  "POST", "/shifts/offers/{offer}/",                302, 302, 404, 404, 404, 404, form=fields()),
    row("decline an offer",                 "POST", "/shifts/offers/{offer}/decline/",        302, 302, 404, 404, 404, 404, form=fields()),
    # The offer message's signed one-tap link: the token is the volunteer's word, so it
    # answers everyone alike (shifts/offer_links.py); a forged token is 404 for all.
    row("an offer's one-tap link",          "GET",  "/shifts/offers/take/{offer_token}/",     200, 200, 200, 200, 200, 200),
    row("take a place by the link",         "POST", "/shifts/offers/take/{offer_token}/",     200, 200, 200, 200, 200, 200, form=fields()),
    row("a forged one-tap link",            "POST", "/shifts/offers/take/{offer}:forged/",    404, 404, 404, 404, 404, 404, form=fields()),
    row("answer a hand-over to me",         "POST", "/shifts/hand-overs/{hand_over}/answer/", 302, 302, 404, 404, 404, 404,
        form=fields(accept="yes")),
    row("the week's places",                "GET",  "/centres/{centre}/places/?week={week}",  302, 404, 200, 404, 200, 200),
    row("approve a request for a place",    "POST", "/centres/{centre}/places/requests/{take_request}/", 302, 404, 302, 404, 403, 302,
        form=fields(approve="yes")),
    row("API my shifts",                    "GET",  "/api/v1/shifts/",                        401, 200, 200, 200, 200, 200),
    row("API answer my shift",              "POST", "/api/v1/shifts/{assignment}/answer/",    401, 200, 404, 404, 404, 404,
        body=lambda w: {"answer": "confirmed"}),
    row("API hand over my shift",           "POST", "/api/v1/shifts/{assignment}/hand-over/", 401, 201, 404, 404, 404, 404,
        body=lambda w: {"to_volunteer": w["colleague"]}),
    row("API open places",                  "GET",  "/api/v1/open-places/",                   401, 200, 200, 200, 200, 200),
    row("API take an open place",           "POST", "/api/v1/open-places/take/",              401, 201, 404, 404, 404, 404,
        body=lambda w: {"visit": w["planned_visit"], "role": "host"}),
    row("API accept an offer",              "POST", "/api/v1/offers/{offer}/accept/",         401, 200, 404, 404, 404, 404,
        body=lambda w: {}),
]
# fmt: on

# URL names that are no page of ours to list: Django's own account plumbing.
NOT_IN_MATRIX = {
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}


def share_token(grant, week: str, *, valid_until: dt.date) -> str:
    """A share link's token as reach.share_links signs it, valid until ``valid_until``."""
    payload = {"p": {"funder": str(grant.pk), "week": week}, "u": valid_until.isoformat()}
    return signing.dumps(payload, salt=SHARE_SALT, compress=True)


@pytest.fixture
def world(
    centre, other_centre, stop, other_stop, coordinator, volunteer_user, leader, funded_grant
) -> dict:
    """One of everything at the centre and at the other centre."""
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    visit = f.make_visit(stop, date=yesterday)
    reported = f.make_visit(stop, date=yesterday, start_time=dt.time(14), end_time=dt.time(15))
    # Reported by the coordinator: the volunteer may not correct someone else's report.
    f.make_report(reported, submitted_by=coordinator, people_met=8, new_people=1)
    other_visit = f.make_visit(other_stop, date=yesterday)
    home_visit = HomeVisit.objects.create(centre=centre, date=yesterday, duration_minutes=30)
    other_home_visit = HomeVisit.objects.create(
        centre=other_centre, date=yesterday, duration_minutes=30
    )
    vera = volunteer_user.volunteer
    # Planning happens ahead: a day next week with two visits (one with Vera on it)
    # and a cancelled one; today's shift is Vera's to check in to.
    day = today + dt.timedelta(days=7)
    planned = f.make_visit(stop, date=day)
    staffed = f.make_visit(stop, date=day, start_time=dt.time(14), end_time=dt.time(16))
    assignment = f.make_assignment(staffed, vera, role="host")
    cancelled = f.make_visit(
        stop,
        date=day,
        start_time=dt.time(19),
        end_time=dt.time(20),
        status=VisitStatus.CANCELLED,
        cancel_reason="Storm",
    )
    shift = f.make_visit(stop, date=today, start_time=dt.time(0, 1), end_time=dt.time(23, 59))
    f.make_assignment(shift, vera, role="driver")
    # docs/people.md: Vera's absence next week, her licence, and a past shift of hers.
    absence = Absence.objects.create(volunteer=vera, starts_on=day, ends_on=day)
    qualification = Qualification.objects.create(volunteer=vera, kind="driving_licence")
    past_shift = f.make_visit(stop, date=yesterday, start_time=dt.time(17), end_time=dt.time(18))
    past_assignment = f.make_assignment(past_shift, vera)
    # Shifts: Kim, Vera's colleague, asks Vera to take over an evening next week and
    # asks for a place on the planned visit, which is also offered to Vera.
    kim = f.make_volunteer(centre, name="Kim Kollega")
    handed = f.make_visit(stop, date=day, start_time=dt.time(17), end_time=dt.time(18))
    hand_over = HandOver.objects.create(
        assignment=f.make_assignment(handed, kim), from_volunteer=kim, to_volunteer=vera
    )
    offer = Offer.objects.create(visit=planned, role="host", volunteer=vera, rank=1)
    take_request = TakeRequest.objects.create(visit=planned, volunteer=kim, role="host")
    funder = Funder.objects.create(name="Fonden", start_date=today - dt.timedelta(days=60))
    funder.centres.add(centre)
    other_funder = Funder.objects.create(name="Skjernfonden", start_date=funder.start_date)
    other_funder.stops.add(other_stop)
    report_job = ReportJob.objects.create(
        funder=funder, requested_by=leader, period={"year": str(today.year)}, status="done",
        pdf=b"%PDF-1.7", filename="fonden.pdf",
    )  # fmt: skip
    return {
        "centre": centre.pk,
        "region": centre.region_id,
        "other_centre": other_centre.pk,
        "stop": stop.pk,
        "other_stop": other_stop.pk,
        "slug": stop.slug,
        "other_slug": other_stop.slug,
        "visit": visit.pk,
        "reported_visit": reported.pk,
        "other_visit": other_visit.pk,
        "home_visit": home_visit.pk,
        "other_home_visit": other_home_visit.pk,
        "volunteer": vera.pk,
        "other_volunteer": f.make_volunteer(other_centre, name="Ole Frivillig").pk,
        "calendar_token": vera.calendar_token,
        "login_token": Later(lambda: get_token(volunteer_user)),
        "login_query": Later(lambda: get_query_string(volunteer_user)),
        "week": str(IsoWeek.of(yesterday)),
        "date": yesterday.isoformat(),
        "day": day.isoformat(),
        "planned_visit": planned.pk,
        "staffed_visit": staffed.pk,
        "assignment": assignment.pk,
        "cancelled_visit": cancelled.pk,
        "shift": shift.pk,
        "absence": absence.pk,
        "qualification": qualification.pk,
        "past_assignment": past_assignment.pk,
        "colleague": kim.pk,
        "hand_over": hand_over.pk,
        "offer": offer.pk,
        "offer_token": offer_link_path(offer).rstrip("/").rsplit("/", 1)[1],
        "take_request": take_request.pk,
        "grant": funded_grant.pk,
        "share_token": share_token(
            funded_grant, str(IsoWeek.of(yesterday)), valid_until=today + dt.timedelta(days=7)
        ),
        "expired_share_token": share_token(
            funded_grant, str(IsoWeek.of(yesterday)), valid_until=yesterday
        ),
        "pattern": f.make_pattern(stop, valid_from=yesterday).pk,
        "service_type": f.make_service_type().pk,
        "van": Van.objects.create(centre=centre, name="Bilen").pk,
        "other_van": Van.objects.create(centre=other_centre, name="Skjerns bil").pk,
        "funder": funder.pk,
        "other_funder": other_funder.pk,
        "report_job": report_job.pk,
    }


@pytest.fixture
def as_role(client, volunteer_user, coordinator, other_coordinator, leader, admin_user):
    users = {
        "anonymous": None,
        "volunteer": volunteer_user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "leadership": leader,
        "admin": admin_user,
    }

    def login(role: str):
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.what)
def test_access_matrix(entry: Row, role: str, world, as_role):
    client = as_role(role)
    url = entry.url.format(**world)
    if entry.form is not None:  # what a browser posts
        data, content_type = urlencode(entry.form(world)), "application/x-www-form-urlencoded"
    elif entry.body is not None:  # what the API and the phone's queue send
        data, content_type = json.dumps(entry.body(world)), "application/json"
    else:
        data, content_type = "", "application/json"
    response = client.generic(entry.method, url, data=data, content_type=content_type)
    assert response.status_code == entry.expected[role], (
        f"{entry.what} as {role}: {response.status_code}, expected {entry.expected[role]}"
    )
    if role == "anonymous" and response.status_code == 302 and "/accounts/link/" not in url:
        login_page = ("/accounts/login/", "/admin/login/")
        assert response.url.startswith(login_page), f"{entry.what}: {response.url}"
    # A redirect that carries an error message is a refusal in disguise.
    refusals = [m for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
    assert not refusals, f"{entry.what} as {role}: {[str(m) for m in refusals]}"


def _names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is the administrator's: a few rows stand for it
            yield from _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_project_has_a_row(world):
    """After a merge, a page without a row here fails this test: add its line above."""
    covered = set()
    for entry in MATRIX:
        match = resolve(entry.url.format(**world).split("?")[0])
        covered.add(match.view_name)
    missing = set(_names(get_resolver().url_patterns)) - covered - NOT_IN_MATRIX
    assert not missing, f"No access-matrix row for: {sorted(missing)}"


# The funder (Fiona, whose grant covers the centre's stop Redsted): the status of
# every row above. She reads her grant's reach (the dashboard at any level that holds
# Redsted, both exports, the API's reach) and the public pages; every stop, visit,
# volunteer, week and the admin is outside her reach (404, the admin's login 302);
# the pages for volunteers say so (200) and show nothing; the API's lists are empty
# (tests/reach/test_funder_access.py). A new row above needs its status here too.
# fmt: off
FUNDER = {
    "home page":                                    302,
    "login page":                                   200,
    "planning: my centres":                         404,
    "week":                                         404,
    "another centre's week":                        404,
    "week, printable":                              404,
    "plan the coming weeks":                        404,
    "new visit form":                               404,
    "add a visit":                                  404,
    "a visit":                                      404,
    "another centre's visit, here":                 404,
    "move a visit":                                 404,
    "cancel a visit":                               404,
    "cancel another centre's visit, here":          404,
    "restore a cancelled visit":                    404,
    "mark yesterday's visit held":                  404,
    "put a volunteer on a visit":                   404,
    "take a volunteer off a visit":                 404,
    "drive a visit with a van":                     404,
    "another centre's van, here":                   404,
    "set one visit's team":                         404,
    "another centre's visit's team, here":          404,
    "the day's route":                              404,
    "one van's day route":                          404,
    "another centre's van's route, here":           404,
    "drive the suggested order":                    404,
    "roster":                                       404,
    "move a stop in the roster":                    404,
    "whether taking a place needs approval":        404,
    "new stop form":                                404,
    "add a stop":                                   404,
    "a stop":                                       404,
    "another centre's stop, here":                  404,
    "change a stop":                                404,
    "take a stop off the roster":                   404,
    "new pattern form":                             404,
    "add a pattern":                                404,
    "a pattern":                                    404,
    "change a pattern":                             404,
    "public stop page":                             200,
    "public stop page, unknown stop":               404,
    "stop poster":                                  200,
    "centre calendar feed":                         200,
    "centre calendar feed, unknown":                404,
    "volunteer's calendar feed":                    200,
    "volunteer's calendar feed, unknown token":     404,
    "today":                                        200,
    "today's kept data (phone)":                    404,
    "report form kept offline":                     200,
    "report form":                                  404,
    "another centre's report form":                 404,
    "a reported visit's report":                    404,
    "report a visit (form)":                        404,
    "correct a report (form, version)":             404,
    "report a visit (phone queue)":                 404,
    "report a reported visit (phone)":              404,
    "correct a report (phone, version)":            404,
    "check in to my shift":                         404,
    "check in (phone queue)":                       404,
    "API check in to my shift":                     404,
    "home visit form":                              403,
    "log a home visit (form)":                      403,
    "log a home visit (phone queue)":               403,
    "profile":                                      200,
    "new private calendar link":                    404,
    "own data download (GDPR)":                     404,
    "push: this phone gets messages":               404,
    "push: stop messages on this phone":            404,
    "own message choices":                          404,
    "a centre's messages not sent":                 404,
    "login link, no token":                         403,
    "login link: the button":                       200,
    "login link: log in":                           302,
    "volunteers: my centres":                       404,
    "a centre's volunteers":                        404,
    "send a login link":                            404,
    "add a volunteer (form)":                       404,
    "add a volunteer":                              404,
    "a volunteer's page":                           404,
    "another centre's volunteer, here":             404,
    "edit a volunteer (form)":                      404,
    "edit a volunteer":                             404,
    "record a volunteer's absence":                 404,
    "delete a volunteer's absence":                 404,
    "set a qualification":                          404,
    "delete a qualification":                       404,
    "correct attendance":                           404,
    "my absences":                                  200,
    "record my absence":                            404,
    "delete my absence":                            404,
    "send another centre's volunteer a link, here": 404,
    "offline page":                                 200,
    "service worker":                               200,
    "web app manifest":                             200,
    "favicon":                                      200,
    "health check":                                 200,
    "reach dashboard":                              200,
    "reach of the own centre":                      200,
    "reach of the own region":                      200,
    "reach export CSV":                             200,
    "reach export XLSX":                            200,
    "reach export for publication":                 200,
    "reach of a grant":                             200,
    "the funder report of a grant":                 200,
    "funder report PDF":                            404,
    "funder report of the other centre":            404,
    "funder report being built (leadership's)":     404,
    "funder report built (leadership's)":           404,
    "data quality (own centres)":                   404,
    "data quality of the own centre":               404,
    "mark a café as checked":                       404,
    "reach of a grant, its API":                    200,
    "make a share link":                            404,
    "a share link":                                 200,
    "an expired share link":                        410,
    "an altered share link":                        404,
    "admin":                                        302,
    "admin: volunteers":                            302,
    "admin: a volunteer's history":                 302,
    "admin: API tokens":                            302,
    "admin: login lockouts":                        302,
    "API schema":                                   200,
    "API docs (Swagger UI)":                        200,
    "API token for a password":                     400,
    "API centres":                                  200,
    "API own centre":                               404,
    "API other centre":                             404,
    "API stops":                                    200,
    "API own stop":                                 404,
    "API visits of a week":                         200,
    "API own visit":                                404,
    "API other centre's visit":                     404,
    "API a visit's report":                         404,
    "API home visits":                              200,
    "API own home visit":                           404,
    "API reach of the country":                     200,
    "API reach of the own centre":                  200,
    "API report a visit":                           404,
    "API report a reported visit":                  404,
    "API correct a report (version)":               404,
    "API log a home visit":                         403,
    "API absences":                                 200,
    "API an absence":                               404,
    "API record an absence":                        403,
    "API delete an absence":                        404,
    "API qualifications":                           200,
    "API a qualification":                          404,
    "API record a qualification":                   403,
    "API delete a qualification":                   404,
    "my shifts":                                    200,
    "open places":                                  200,
    "answer my shift":                              404,
    "hand over my shift":                           404,
    "take an open place":                           404,
    "take another centre's place":                  404,
    "a place offered to me":                        404,
    "accept an offer":                              404,
    "decline an offer":                             404,
    "an offer's one-tap link":                      200,
    "take a place by the link":                     200,
    "a forged one-tap link":                        404,
    "answer a hand-over to me":                     404,
    "the week's places":                            404,
    "approve a request for a place":                404,
    "API my shifts":                                200,
    "API answer my shift":                          404,
    "API hand over my shift":                       404,
    "API open places":                              200,
    "API take an open place":                       404,
    "API accept an offer":                          404,
}
# fmt: on


@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.what)
def test_access_matrix_as_the_funder(entry: Row, world, client, funder_user):
    client.force_login(funder_user)
    url = entry.url.format(**world)
    if entry.form is not None:
        data, content_type = urlencode(entry.form(world)), "application/x-www-form-urlencoded"
    elif entry.body is not None:
        data, content_type = json.dumps(entry.body(world)), "application/json"
    else:
        data, content_type = "", "application/json"
    response = client.generic(entry.method, url, data=data, content_type=content_type)
    assert response.status_code == FUNDER[entry.what], (
        f"{entry.what} as the funder: {response.status_code}, expected {FUNDER[entry.what]}"
    )


def test_every_row_has_the_funders_status():
    """After a merge, a row without the funder's status fails here: add it to FUNDER."""
    assert set(FUNDER) == {entry.what for entry in MATRIX}
