"""
The API answers in JSON and in Danish, whatever went wrong: a 404 for an address no
route has (also with DEBUG on), a 404 that names no internal model, and DRF's
own messages that its Danish catalogue lacks.
"""

import pytest
from django.utils import translation

from tests import factories as f
from tests.api.conftest import client_for

NOT_FOUND = {"detail": "Ikke fundet."}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path", ["/api/v1/visits/abc/report/", "/api/v1/stops/x/", "/api/v1/no-such-thing/"]
)
def test_an_address_without_a_route_is_a_json_404(settings, volunteer_user, debug, path):
    settings.DEBUG = debug
    response = client_for(volunteer_user).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("kind", ["centres", "stops", "visits", "home-visits"])
def test_a_404_names_no_model(volunteer_user, other_stop, kind):
    """Another centre's rows, or none at all, answer the same neutral 404."""
    visit = f.make_visit(other_stop)
    ids = {
        "centres": other_stop.centre_id,
        "stops": other_stop.pk,
        "visits": visit.pk,
        "home-visits": 999999,
    }
    response = client_for(volunteer_user).get(f"/api/v1/{kind}/{ids[kind]}/")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_body_that_is_no_json_is_refused_in_danish(volunteer_user, stop):
    visit = f.make_visit(stop)
    response = client_for(volunteer_user).put(
        f"/api/v1/visits/{visit.pk}/report/", b"{bad", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Forespørgslens indhold er ikke gyldig JSON."}


def test_every_message_of_drfs_fields_is_danish():
    """DRF's Danish catalogue lacks some; locale/da (api/messages.py) supplies them."""
    from django.utils.functional import Promise
    from rest_framework import exceptions, fields, relations, serializers

    english, checked = [], 0
    for module in (fields, exceptions, serializers, relations):
        for name in dir(module):
            kind = getattr(module, name)
            messages = dict(getattr(kind, "default_error_messages", None) or {})
            if getattr(kind, "default_detail", None) is not None:
                messages["detail"] = kind.default_detail
            for key, message in messages.items():
                if not isinstance(message, str | Promise):
                    continue
                checked += 1
                with translation.override("en"):
                    in_english = str(message)
                with translation.override("da"):
                    in_danish = str(message)
                if in_english == in_danish:
                    english.append(f"{name}.{key}: {in_english}")
    assert len(english) == 0, english
    assert checked > 100  # every field's messages were looked at


def test_a_bad_submission_id_is_refused_in_danish(volunteer_user, stop):
    visit = f.make_visit(stop)
    response = client_for(volunteer_user).put(
        f"/api/v1/visits/{visit.pk}/report/",
        {"submission_id": "not-a-uuid", "people_met": 2},
        format="json",
    )
    assert response.json()["submission_id"] == [
        "Skal være et UUID som 3f2c9a1e-8b4d-4c2a-9e1f-0a1b2c3d4e5f."
    ]
