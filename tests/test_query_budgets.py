"""
THE QUERY BUDGET of every list page and API list: the exact number of queries each
costs, each query named, on a small world and on the same world grown five times
over. The exact number is the ceiling a few-vs-many comparison lacks (a constant
extra query passes that); asking it at both sizes is the guard against a query per
row. A page that needs a query more or fewer: change its names below, and say why
in the commit.

Not here, because their own tests already hold an exact number: the day's route
(tests/planning/test_route_queries.py) and the phone's bundle
(tests/volunteers/test_bundle.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.weeks import IsoWeek
from stops.models import Funder, Van
from tests import factories as f
from tests.test_access_matrix import share_token
from visits.choices import VisitStatus
from visits.models import HomeVisit, HomeVisitReferral, ReportReferral

# The queries every logged-in request makes before its view: the session, its user.
LOGIN = ("the session", "the session's user")
ROLE = "the user's role (leadership, coordinator, volunteer: one query)"
CENTRE = "the centre, within the user's reach"
IDS = ("the counted centres' ids", "their stops' ids")  # ReachQuery.build
# A centre asked for is read once (the first query): its stops' ids are what build reads.
CENTRE_IDS = ("the centre's stops' ids",)
REACH_HEAD = ("the service types", "the rows' volunteers and referrals (one UNION)")
TIMELY = "timeliness: the reports, and those captured within 24 hours (one aggregate)"
REACH_TAIL = (
    "a year earlier's totals",
    "the 52 weeks' trend and the totals since the start",
    "completeness per centre",
    "the first 100 visits to fix",
    TIMELY,
)
# A grant's own view (reach.params.grant_selection): no list of cafés to chase.
GRANT = (
    "whether the grant covers a stop",
    "the grant's stops' ids",
    "its whole centres' ids (home visits)",
    "the stops counted",
)
GRANT_TAIL = REACH_TAIL[:-1]
TARGETS = "the targets: centres with their active and covered stops"
STOP_WEEKS = "the stop × week rows and their referrals (one UNION, streamed)"
ON_TIME = "the reports on time per stop × week (one grouped query)"
API_PAGE = "the count (pagination)"
# The admin's list pages: a filtered count and the full one, then the page.
COUNTS = ("the count", "the full count")
REGIONS, CENTRES = "the regions (filter)", "the centres (filter)"
DAYS = ("the date hierarchy's first and last day", "the date hierarchy's links")


@dataclass(frozen=True)
class Page:
    what: str
    who: str  # a fixture: a client logged in as the role, or ``client`` (anonymous)
    url: str  # a template over the world's names
    queries: tuple[str, ...]  # every query, in order: their number is the budget

    def __str__(self) -> str:
        return self.what


# fmt: off
PAGES = [
    # Planning
    Page("home: the coordinator's centres", "coordinator_client", "/",
         (*LOGIN, ROLE, "the coordinator's centres, with their regions")),
    Page("planning: every centre", "leader_client", "/planning/",
         (*LOGIN, ROLE, "the active centres")),
    Page("the week", "coordinator_client", "/centres/{centre}/week/?week={this_week}",
         (*LOGIN, ROLE, CENTRE, "the week's visits, with stop, van and report",
          "their teams (assignments with volunteers)")),
    Page("the week, printable", "coordinator_client",
         "/centres/{centre}/week/print/?week={this_week}",
         (*LOGIN, ROLE, CENTRE, "the week's visits, with stop, van and report",
          "their teams (assignments with volunteers)")),
    Page("a visit's editor (its volunteer picker)", "coordinator_client",
         "/centres/{centre}/visits/{planned_visit}/",
         (*LOGIN, ROLE, CENTRE, "the visit, within reach",
          "the visit's week, with stop, van and report (its card and warnings)",
          "the week's teams", "the centre's active vans", "the centre's active volunteers",
          "their assignments around the visit (busy elsewhere)")),
    Page("the roster", "coordinator_client", "/centres/{centre}/roster/",
         (*LOGIN, ROLE, CENTRE, "the stops, each with its next visit", "their patterns")),
    # Public: no login
    Page("public stop page", "client", "/s/{slug}/",
         ("the stop, active at an active centre", "its next visits", "its patterns")),
    Page("stop poster", "client", "/s/{slug}/poster/",
         ("the stop, active at an active centre", "its next visits", "its patterns")),
    Page("centre calendar feed", "client", "/calendar/centre/{centre}.ics",
         ("the centre, active", "its visits four weeks back to six months ahead, with stop")),
    Page("volunteer's calendar feed", "client", "/calendar/volunteer/{calendar_token}.ics",
         ("the volunteer of the token", "their reminder choices (for the alarms)",
          "their assignments, with visit and stop")),
    # Volunteers
    Page("today", "volunteer_client", "/today/",
         (*LOGIN, "the user's volunteer profile, with centre", ROLE,
          "own visits a week back to a week ahead, with stop and report",
          "their teams (assignments with volunteers)",
          "the centre's other visits today, with stop and report")),
    Page("own data download", "volunteer_client", "/profile/data.json",
         (*LOGIN, "the volunteer, with user and centre", "their assignments, with visit and stop",
          "their absences", "their qualifications", "their home visits",
          "the reports they sent", "their phones for push messages",
          "their profile's history")),
    Page("volunteers: every centre (administrator)", "admin_client", "/volunteers/",
         (*LOGIN, "the active centres")),
    Page("the centre's volunteers", "coordinator_client", "/centres/{centre}/volunteers/",
         (*LOGIN, ROLE, CENTRE, "qualifications running out within 30 days, with volunteer",
          "the centre's volunteers, with their logins")),
    # Reach
    Page("reach: the country", "leader_client", "/reach/?week={last_week}",
         (*LOGIN, ROLE, *REACH_HEAD, "the regions' rows, home visits as a subquery", TARGETS,
          *REACH_TAIL, "the funders (the picker)")),
    Page("reach: a region", "leader_client", "/reach/?week={last_week}&region={region}",
         (*LOGIN, ROLE, "the region", *IDS, *REACH_HEAD,
          "the centres' rows, home visits as a subquery", TARGETS, *REACH_TAIL,
          "the funders (the picker)")),
    Page("reach: a centre", "leader_client", "/reach/?week={last_week}&centre={centre}",
         (*LOGIN, ROLE, "the centre, with its region", *CENTRE_IDS, *REACH_HEAD, "the stops' rows",
          "the centre's home visits (the total's)", TARGETS, *REACH_TAIL,
          "the funders (the picker)")),
    Page("reach: a centre, for publication", "leader_client",
         "/reach/?week={last_week}&centre={centre}&publication=1",
         (*LOGIN, ROLE, "the centre, with its region", *CENTRE_IDS, *REACH_HEAD, "the stops' rows",
          "the centre's home visits (the total's)", TARGETS, STOP_WEEKS, *REACH_TAIL,
          "the funders (the picker)")),
    Page("reach: a coordinator's centres", "coordinator_client", "/reach/?week={last_week}",
         (*LOGIN, ROLE, *IDS, *REACH_HEAD, "the regions' rows, home visits as a subquery",
          TARGETS, *REACH_TAIL, "the funders of the coordinator's centres (the picker)")),
    Page("data quality: the country", "leader_client", "/reach/quality/?week={last_week}",
         (*LOGIN, ROLE, "the reports with an issue, with stop, centre and check",
          "the visits without report or status, with stop, centre and check",
          TIMELY)),
    Page("data quality: a coordinator's centres", "coordinator_client",
         "/reach/quality/?week={last_week}",
         (*LOGIN, ROLE, *IDS, "the reports with an issue, with stop, centre and check",
          "the visits without report or status, with stop, centre and check",
          TIMELY)),

    Page("reach: a funder's grant", "funder_client", "/reach/?week={last_week}",
         (*LOGIN, ROLE, "the funder's first grant", *GRANT, *REACH_HEAD,
          "the regions' rows, home visits as a subquery", TARGETS, *GRANT_TAIL,
          "the funder's grants (the picker)")),
    Page("reach: a share link's page", "client", "/shared/{share_token}/",
         ("the link's grant", *GRANT, *REACH_HEAD,
          "the regions' rows, home visits as a subquery", TARGETS, *GRANT_TAIL)),
    Page("reach export CSV", "leader_client", "/reach/export.csv?week={last_week}",
         (*LOGIN, ROLE, "the service types", ON_TIME, STOP_WEEKS)),
    Page("reach export XLSX", "leader_client", "/reach/export.xlsx?week={last_week}",
         (*LOGIN, ROLE, *REACH_HEAD, "the regions' rows, home visits as a subquery", TARGETS,
          ON_TIME, STOP_WEEKS)),
    Page("reach export XLSX of a centre, for publication", "leader_client",
         "/reach/export.xlsx?week={last_week}&centre={centre}&publication=1",
         (*LOGIN, ROLE, "the centre, with its region", *CENTRE_IDS, *REACH_HEAD, "the stops' rows",
          "the centre's home visits (the total's)", TARGETS, ON_TIME,
          "the stop × week rows, read once for suppression and the second sheet")),
    # The API (session, as the phone sends it; a token costs one query more)
    Page("API centres", "coordinator_client", "/api/v1/centres/",
         (*LOGIN, ROLE, API_PAGE, "the page of centres, with regions")),
    Page("API stops", "coordinator_client", "/api/v1/stops/",
         (*LOGIN, ROLE, API_PAGE, "the page of stops, with centres")),
    Page("API visits of a week", "coordinator_client", "/api/v1/visits/?week={this_week}",
         (*LOGIN, ROLE, API_PAGE, "the page of visits, with stop and report")),
    Page("API visits of a week (volunteer)", "volunteer_client", "/api/v1/visits/?week={this_week}",
         (*LOGIN, ROLE, API_PAGE, "the page of visits, with stop and report")),
    Page("API home visits", "coordinator_client", "/api/v1/home-visits/",
         (*LOGIN, ROLE, API_PAGE, "the page of home visits",
          "their referrals, with service types")),
    Page("API reach", "coordinator_client", "/api/v1/reach/?week={last_week}",
         (*LOGIN, ROLE, *IDS, *REACH_HEAD, "the regions' rows, home visits as a subquery",
          TARGETS, TIMELY)),
    Page("API reach of a centre, for publication", "leader_client",
         "/api/v1/reach/?week={last_week}&centre={centre}&publication=1",
         (*LOGIN, ROLE, "the centre, with its region", *CENTRE_IDS, *REACH_HEAD, "the stops' rows",
          "the centre's home visits (the total's)", TARGETS, STOP_WEEKS, TIMELY)),
    # The admin's list pages (an administrator: no role query, a superuser is one)
    Page("admin: regions", "admin_client", "/admin/stops/region/",
         (*LOGIN, *COUNTS, "the page, centres counted")),
    Page("admin: centres", "admin_client", "/admin/stops/centresite/",
         (*LOGIN, REGIONS, *COUNTS, "the page, with region, stops counted")),
    Page("admin: stops", "admin_client", "/admin/stops/stop/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with centre")),
    Page("admin: funders", "admin_client", "/admin/stops/funder/",
         (*LOGIN, REGIONS, *COUNTS, "the page", *DAYS)),
    Page("admin: service types", "admin_client", "/admin/visits/servicetype/",
         (*LOGIN, *COUNTS, "the page")),
    Page("admin: patterns", "admin_client", "/admin/visits/visitpattern/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with stop and centre",
          "the every-N-weeks filter's values")),
    Page("admin: visits", "admin_client", "/admin/visits/visit/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with stop, centre and report", *DAYS)),
    Page("admin: reports", "admin_client", "/admin/visits/visitreport/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with visit, stop and centre")),
    Page("admin: home visits", "admin_client", "/admin/visits/homevisit/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with centre and volunteer", *DAYS)),
    Page("admin: volunteers", "admin_client", "/admin/volunteers/volunteer/",
         (*LOGIN, REGIONS, CENTRES, *COUNTS, "the page, with centre")),
    Page("admin: assignments", "admin_client", "/admin/volunteers/assignment/",
         (*LOGIN, CENTRES, *COUNTS, "the page, with visit, stop and volunteer")),
]
# fmt: on

# Every other URL of the project, and why it has no budget here. A new URL fails
# test_every_url_has_a_budget_or_a_reason until it is added above or here.
NOT_A_LIST = {
    "one object": [
        "api:centre-detail",
        "api:stop-detail",
        "api:visit-detail",
        "api:homevisit-detail",
        "api:visit-report",
        "visit_report",
        "planning:stop_edit",
        "planning:pattern_edit",
        "profile",
        "api:absence-detail",
        "api:qualification-detail",
        "volunteer_new",
        "volunteer_edit",
        "shifts:offer",
        # A background funder report's progress and its file (docs/funder-reports.md)
        "funders:job",
        "funders:job_pdf",
    ],
    "a form or an action": [
        "reach:quality_check",  # a POST that marks one café
        "planning:generate",
        "planning:visit_add",
        "planning:visit_move",
        "planning:visit_cancel",
        "planning:visit_restore",
        "planning:visit_held",
        "planning:visit_van",
        "planning:visit_team",
        "planning:assignment_add",
        "planning:assignment_remove",
        "planning:roster_move",
        "planning:places_approval",
        "planning:stop_add",
        "planning:stop_active",
        "planning:pattern_add",
        "home_visit_new",
        "check_in",
        "api:visit-check-in",
        "calendar_token_reset",
        "send_login_link",
        "link_login",
        "login",
        "api:token",
        "my_absence_delete",
        "volunteer_absence_add",
        "volunteer_absence_delete",
        "volunteer_attendance",
        "volunteer_qualification_delete",
        "volunteer_qualification_set",
        "push_subscribe",
        "push_unsubscribe",
        "notifications:preferences",
        "shifts:answer",
        "shifts:hand_over",
        "shifts:hand_over_answer",
        "shifts:offer_decline",
        "shifts:offer_link",
        "shifts:request_decide",
        "shifts:take",
        "api:offer-accept",
        "api:open-places-take",
        "api:shift-answer",
        "api:shift-hand-over",
        "reach:share_create",
    ],
    "no data (static, health, schema)": [
        "favicon",
        "healthz",
        "manifest",
        "offline",
        "service_worker",
        "report_form_shell",
        "api:schema",
        "api:docs",
    ],
    "an exact budget in its own tests": [
        "planning:route",
        "today_bundle",
        # tests/volunteers/test_absences.py, tests/volunteers/test_manage.py and
        # tests/api/test_people.py, each with its queries named.
        "my_absences",
        "volunteer_manage",
        "api:absence-list",
        "api:qualification-list",
        # tests/shifts/test_views.py, tests/shifts/test_api.py, tests/notifications/test_views.py
        "shifts:mine",
        "shifts:open",
        "shifts:week_places",
        "api:open-places",
        "api:shift-list",
        "notifications:failed",
        # tests/funders/test_queries.py: the PDF, a fixed head and ten queries a centre
        "funders:report",
    ],
}


@pytest.fixture
def world(
    centre, other_centre, stop, other_stop, coordinator, volunteer_user, leader, funded_grant
):
    """A centre's stops, last week's and this week's cafés, their teams and reports."""
    today = timezone.localdate()
    this_week = IsoWeek.of(today)
    vera = volunteer_user.volunteer
    debt, nurse = f.make_service_type(name="Gæld"), f.make_service_type(name="Sygeplejerske")
    Van.objects.create(centre=centre, name="Bilen")

    def grow(stops: int) -> None:
        for _ in range(stops):
            place = f.make_stop(centre)
            f.make_pattern(place, valid_from=today - dt.timedelta(days=60))
            helper = f.make_volunteer(centre, user=f.make_user())
            # Last week: every day a café, held, reported on even days, one left open.
            for offset in range(7):
                day = this_week.previous.monday + dt.timedelta(days=offset)
                status = VisitStatus.PLANNED if offset == 6 else VisitStatus.HELD
                visit = f.make_visit(place, date=day, status=status)
                f.make_assignment(visit, vera)
                f.make_assignment(visit, helper)
                if status == VisitStatus.HELD and offset % 2 == 0:
                    report = f.make_report(visit, submitted_by=volunteer_user)
                    ReportReferral.objects.create(report=report, service_type=debt, count=2)
                    ReportReferral.objects.create(report=report, service_type=nurse, count=1)
            # This week: a café each day from today on, Vera and a helper on it.
            for offset in range(8):
                visit = f.make_visit(place, date=today + dt.timedelta(days=offset))
                f.make_assignment(visit, vera)
                f.make_assignment(visit, helper)
            home = HomeVisit.objects.create(
                centre=centre,
                date=today - dt.timedelta(days=1),
                duration_minutes=30,
                volunteer=vera,
            )
            HomeVisitReferral.objects.create(home_visit=home, service_type=debt, count=1)
            # The public stop's coming cafés and patterns (the stop page, the poster).
            f.make_pattern(stop, weekday=1 + place.pk % 5, valid_from=today)
            f.make_visit(stop, date=today + dt.timedelta(days=1 + place.pk % 30))
            f.make_visit(f.make_stop(other_centre), date=today)
            # More centres (the coordinator's too), funders and service types.
            extra = f.make_centre()
            extra.coordinators.add(coordinator)
            f.make_visit(f.make_stop(extra), date=today - dt.timedelta(days=1))
            Funder.objects.create(name=f"Fond {place.pk}", start_date=today).stops.add(place)
            f.make_service_type()

    planned = f.make_visit(stop, date=today + dt.timedelta(days=3))
    f.make_assignment(planned, vera)
    grow(1)
    return {
        "grow": grow,
        "planned_visit": planned.pk,
        "centre": centre.pk,
        "region": centre.region_id,
        "other_centre": other_centre.pk,
        "slug": stop.slug,
        "calendar_token": vera.calendar_token,
        "this_week": str(this_week),
        "last_week": str(this_week.previous),
        "share_token": share_token(
            funded_grant, str(this_week.previous), valid_until=today + dt.timedelta(days=7)
        ),
    }


def _fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    # Streamed answers (the exports, the feeds) run their queries while read.
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_list_costs_its_budget_with_few_rows_and_with_many(
    page: Page, world, request, django_assert_num_queries
):
    client = request.getfixturevalue(page.who)
    url = page.url.format(**world)
    with django_assert_num_queries(len(page.queries)):
        _fetch(client, url)
    world["grow"](5)
    with django_assert_num_queries(len(page.queries)):
        _fetch(client, url)


def test_every_url_has_a_budget_or_a_reason(world):
    from django.urls import get_resolver, resolve

    from tests.test_access_matrix import NOT_IN_MATRIX, _names

    budgeted = {resolve(page.url.format(**world).split("?")[0]).view_name for page in PAGES}
    explained = {name for names in NOT_A_LIST.values() for name in names}
    assert not budgeted & explained, "a page with a budget needs no reason"
    unsaid = set(_names(get_resolver().url_patterns)) - budgeted - explained - NOT_IN_MATRIX
    assert not unsaid, f"No query budget, nor a reason for none: {sorted(unsaid)}"
