"""
A coordinator's reason for cancelling a visit is shown to the team and written into
their calendar feeds: it follows the note rule (no CPR or phone numbers, no e-mail
addresses) on the week page, in the service and in the admin.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from planning.services import visit_edit
from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit

MESSAGE = "Skriv ikke navne, CPR-numre, telefonnumre eller e-mailadresser i begrundelsen."
HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=dt.time(10), end_time=dt.time(12))


def cancel(client, centre, visit, reason):
    return client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/cancel/",
        {"version": 1, "reason": reason},
        headers=HTMX,
    )


@pytest.mark.parametrize(
    "reason", ["Ring til Hans på 12 34 5678", "Jens er syg, jens[at]example.dk", "010190 - 1234"]
)
def test_the_week_page_refuses_a_reason_with_personal_data(
    client, coordinator, centre, visit, reason
):
    client.force_login(coordinator)
    response = cancel(client, centre, visit, reason)
    assert response.status_code == 400
    assert MESSAGE in response.text
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason, visit.version) == ("planned", "", 1)


def test_an_ordinary_reason_cancels(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = cancel(client, centre, visit, "Forsamlingshuset er lukket 12.03.2026 kl. 10-12")
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == "cancelled"


def test_a_huge_reason_is_refused_for_its_length_alone(client, coordinator, centre, visit):
    client.force_login(coordinator)
    response = cancel(client, centre, visit, "a" * 250_000 + " 12345678")
    assert response.status_code == 400
    assert MESSAGE not in response.text
    assert response.context["cancel_form"].errors["reason"] == [
        "Denne værdi må højst have 200 tegn (den har 250009)."
    ]
    assert Visit.objects.get(pk=visit.pk).status == "planned"


def test_the_service_refuses_it_for_every_caller(visit, coordinator):
    with pytest.raises(ValidationError) as error:
        visit_edit.visit_cancel(visit=visit, version=1, reason="tlf 20-30-40-50", user=coordinator)
    assert error.value.message_dict == {"reason": [MESSAGE]}
    assert Visit.objects.get(pk=visit.pk).status == "planned"


def test_the_admin_refuses_it(admin_client, visit):
    response = admin_client.get(f"/admin/visits/visit/{visit.pk}/change/")
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "status": "cancelled",
            "cancel_reason": "Hans (010190-1234) kommer ikke",
            "date": visit.date.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            **{
                f"{prefix}-{key}": 0
                for prefix in ("assignments", "report")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        }
    )
    response = admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cancel_reason"] == [MESSAGE]
    assert Visit.objects.get(pk=visit.pk).status == "planned"
