# ruff: noqa: E501  (the access table reads best one row per line)
"""
WHO MAY DO WHAT. This table is the documentation of access in Drive-in: every page,
API endpoint, export and feed, tried as anonymous, a volunteer of the centre, the
centre's coordinator, the coordinator of another centre, leadership and an
administrator, with the status each gets. Anything outside a user's reach is a 404
(never a 403: we do not confirm that it exists); a role that may see but not do
gets 403; anonymous visitors are sent to log in (302) or, in the API, get 401.

To add a page: one `row(...)` line. URLs are templates over the world below:
{centre} {other_centre} {stop} {other_stop} {slug} {other_slug} {visit}
{reported_visit} {other_visit} {home_visit} {other_home_visit} {calendar_token}
{week} {date} {service_type}. A test at the end fails for any URL of the project
that has no row.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from drivein.weeks import IsoWeek
from tests import factories as f
from visits.models import HomeVisit

ROLES = ("anonymous", "volunteer", "coordinator", "other_coordinator", "leadership", "admin")


@dataclass(frozen=True)
class Row:
    what: str
    method: str
    url: str
    expected: dict[str, int]
    body: Any = field(default=None, compare=False)


def row(what: str, method: str, url: str, *statuses: int, body=None) -> Row:
    """Statuses in the order of ROLES: anon, volunteer, coord, other coord, leader, admin."""
    assert len(statuses) == len(ROLES), what
    return Row(what, method, url, dict(zip(ROLES, statuses, strict=True)), body)


def report(**counts):
    return lambda w: {"submission_id": str(uuid.uuid4()), "people_met": 5, **counts}


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
    row("home page",                        "GET",  "/",                                      302, 302, 200, 200, 302, 200),
    row("login page",                       "GET",  "/accounts/login/",                       200, 200, 200, 200, 200, 200),
    row("own data download (GDPR)",         "GET",  "/profile/data.json",                     302, 200, 404, 404, 404, 404),
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
    # API: writing (leadership reads everything and changes nothing)
    row("API report a visit",               "PUT",  "/api/v1/visits/{visit}/report/",         401, 201, 201, 404, 403, 201,
        body=report()),
    row("API report a reported visit",      "PUT",  "/api/v1/visits/{reported_visit}/report/", 401, 409, 409, 404, 403, 409,
        body=report()),
    row("API correct a report (version)",   "PUT",  "/api/v1/visits/{reported_visit}/report/", 401, 403, 200, 404, 403, 200,
        body=report(version=1)),
    row("API log a home visit",             "POST", "/api/v1/home-visits/",                   401, 201, 201, 400, 403, 201,
        body=home_visit_at("centre")),
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


@pytest.fixture
def world(centre, other_centre, stop, other_stop, coordinator, volunteer_user) -> dict:
    """One of everything at the centre and at the other centre."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    visit = f.make_visit(stop, date=yesterday)
    reported = f.make_visit(stop, date=yesterday, start_time=dt.time(14), end_time=dt.time(15))
    # Reported by the coordinator: the volunteer may not correct someone else's report.
    f.make_report(reported, submitted_by=coordinator, people_met=8, new_people=1)
    other_visit = f.make_visit(other_stop, date=yesterday)
    home_visit = HomeVisit.objects.create(centre=centre, date=yesterday, duration_minutes=30)
    other_home_visit = HomeVisit.objects.create(
        centre=other_centre, date=yesterday, duration_minutes=30
    )
    return {
        "centre": centre.pk,
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
        "volunteer": volunteer_user.volunteer.pk,
        "calendar_token": volunteer_user.volunteer.calendar_token,
        "week": str(IsoWeek.of(yesterday)),
        "date": yesterday.isoformat(),
        "service_type": f.make_service_type().pk,
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
    body = entry.body(world) if entry.body else None
    response = client.generic(
        entry.method,
        url,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
    )
    assert response.status_code == entry.expected[role], (
        f"{entry.what} as {role}: {response.status_code}, expected {entry.expected[role]}"
    )


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
