"""
The API against its own OpenAPI schema, fuzzed by schemathesis in-process (WSGI): for
every operation, valid and invalid requests built from the schema must get no
server error and only responses the schema documents (status, content type, body).
The fuzzer sends a coordinator's token, so it reaches real centres, visits and
reports; a few hundred examples in all keep it quick.
"""

import datetime as dt
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests import factories as f
from tests.api.conftest import YESTERDAY
from visits.services import ReportData, report_submit

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def world(db):
    """A coordinator with a centre, stops, a reportable visit, a reported one, a home visit."""
    from rest_framework.authtoken.models import Token

    from visits.models import HomeVisit

    centre = f.make_centre(name="Nykøbing Mors")
    coordinator = f.make_coordinator(centre, "fuzzy")
    stop = f.make_stop(centre)
    f.make_stop(f.make_centre())
    open_visit = f.make_visit(stop, date=YESTERDAY)
    reported = f.make_visit(stop, date=YESTERDAY, start_time="14:00", end_time="15:00")
    service_type = f.make_service_type()
    report_submit(
        visit=reported,
        user=coordinator,
        submission_id=uuid.uuid4(),
        data=ReportData(people_met=8, referrals={service_type.pk: 1}),
    )
    home_visit = HomeVisit.objects.create(centre=centre, date=YESTERDAY, duration_minutes=30)
    # docs/people.md: a volunteer of the centre with an absence and a licence.
    from volunteers.models import Absence, Qualification

    volunteer = f.make_volunteer(centre, name="Vera Frivillig", is_driver=True)
    absence = Absence.objects.create(
        volunteer=volunteer, starts_on=YESTERDAY, ends_on=YESTERDAY + dt.timedelta(days=7)
    )
    licence = Qualification.objects.create(volunteer=volunteer, kind="driving_licence")
    token = Token.objects.create(user=coordinator)
    # The coordinator also volunteers (shifts/): a coming shift and an offered place.
    from shifts.models import Offer

    coming = f.make_visit(stop, date=YESTERDAY + dt.timedelta(days=8))
    me = f.make_volunteer(centre, user=coordinator, name="Fuzzy Frivillig")
    shift = f.make_assignment(coming, me)
    f.make_volunteer(centre, name="Kollega")
    offered = f.make_visit(stop, date=YESTERDAY + dt.timedelta(days=9))
    offer = Offer.objects.create(visit=offered, role="host", volunteer=me, rank=1)
    return {
        "token": token.key,
        # Real ids per resource (by the path's first part), for the fuzzer to hit.
        "ids": {
            "centres": [centre.pk],
            "stops": [stop.pk],
            "visits": [open_visit.pk, reported.pk],
            "home-visits": [home_visit.pk],
            "absences": [absence.pk],
            "qualifications": [licence.pk],
            "shifts": [shift.pk],
            "offers": [offer.pk],
        },
    }


def _load_schema():
    """The schema as /api/schema/ serves it, generated in-process at collection."""
    from drf_spectacular.generators import SchemaGenerator

    from drivein.wsgi import application

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application  # calls go to the WSGI app in this process, no server
    return loaded


OPERATIONS = [result.ok() for result in _load_schema().get_all_operations()]


@pytest.fixture
def keep_connection():
    """
    The real WSGI handler closes the database connection after each request, which
    would end the test's transaction on PostgreSQL; Django's own test client stops
    that the same way.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    # The fuzzer is one user sending hundreds of requests: lift the throttles.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"read": "100000/m", "write": "100000/m", "token": "100000/m"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_the_api_honours_its_schema(operation, mode, world, unthrottled, keep_connection):
    """Zero server errors and zero schema violations, valid and invalid input alike."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        if case.path_parameters and "id" in case.path_parameters:
            # Half of the generated ids point at a real row, so the fuzzer reaches data.
            generated = str(case.path_parameters["id"])
            if generated.isdigit() and int(generated) % 2 == 0:
                real = world["ids"][operation.path.split("/")[3]]
                case.path_parameters["id"] = str(real[int(generated) // 2 % len(real)])
        response = case.call_and_validate(
            headers={"Authorization": f"Token {world['token']}"},
            # Schema-valid input can still break a rule the schema cannot say (a wrong
            # password, a future date, another centre's id): a 400 there is right.
            excluded_checks=[positive_data_acceptance],
        )
        statuses.append(response.status_code)

    statuses: list[int] = []
    fuzz()
    if mode == GenerationMode.POSITIVE and operation.method.upper() == "GET":
        # The token works and real rows were reached, not only 401s and 404s.
        assert 200 in statuses, sorted(set(statuses))
