"""Bad bodies of every kind: a clear 4xx in JSON, never a 500, nothing written."""

import uuid

import pytest

from visits.models import HomeVisit, VisitReport


@pytest.fixture
def report_url(visit) -> str:
    return f"/api/v1/visits/{visit.pk}/report/"


@pytest.fixture(autouse=True)
def nothing_written(db):
    yield
    assert not VisitReport.objects.exists()
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"not json",
        b'{"people_met": NaN}',
        b"\xff\xfe\x00",
        b"[]",
        b"null",
        b'"a string"',
        b'{"submission_id": {"nested": true}, "people_met": []}',
        b'{"people_met": 1' + b"0" * 5000 + b"}",
    ],
)
def test_malformed_json_is_a_400(api, volunteer_user, report_url, raw):
    response = api(volunteer_user).generic("PUT", report_url, raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()


def test_json_nested_too_deep_is_a_400(api, volunteer_user, report_url):
    raw = b"[" * 100_000 + b"]" * 100_000
    response = api(volunteer_user).generic("PUT", report_url, raw, content_type="application/json")
    assert response.status_code in (400, 413)


def test_a_body_over_the_limit_is_a_413(api, volunteer_user, report_url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = b'{"note": "' + b"x" * 2000 + b'"}'
    response = api(volunteer_user).generic("PUT", report_url, raw, content_type="application/json")
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


def test_a_form_body_is_a_415_that_asks_for_json(api, volunteer_user, report_url):
    response = api(volunteer_user).put(
        report_url, {"submission_id": str(uuid.uuid4()), "people_met": 3}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["detail"]


def test_an_empty_body_is_a_400_naming_the_required_fields(api, volunteer_user, report_url):
    response = api(volunteer_user).put(report_url, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"submission_id", "people_met"}


def test_an_unknown_method_is_a_405(api, volunteer_user, report_url):
    response = api(volunteer_user).delete(report_url)
    assert response.status_code == 405


def test_an_unknown_api_address_is_a_json_404(api, volunteer_user):
    response = api(volunteer_user).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("week", ["%", "100%-W48", "%s-W%d", "2026-W99", "2025-W53"])
@pytest.mark.parametrize("url", ["/api/v1/visits/", "/api/v1/home-visits/"])
def test_a_week_filter_with_format_characters_is_a_400_not_a_500(api, leader, url, week):
    """Found by the fuzzer: a '%' in the value once broke DRF's message formatting."""
    response = api(leader).get(url, {"week": week})
    assert response.status_code == 400
    assert "uge" in response.json()["week"][0]


@pytest.mark.parametrize("value", ["²", "٣", "1²", "³³", "١٠"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_non_ascii_digits_in_paging_are_a_400_not_a_500(api, leader, name, value):
    """str.isdigit() is true for "²" and "٣"; int("²") then failed with a 500."""
    response = api(leader).get("/api/v1/visits/", {name: value})
    assert response.status_code == 400
    assert response.json()[name][0].startswith("Skriv et helt tal")


@pytest.mark.parametrize(
    "params",
    [{"centre": "²"}, {"region": "٣"}, {"funder": "¹"}, {"year": "٢٠٢٥"}, {"week": "٢٠٢٥-W48"}],
)
def test_non_ascii_digits_in_reach_parameters_are_a_400(api, leader, params):
    response = api(leader).get("/api/v1/reach/", params)
    assert response.status_code == 400
    assert response.json()["detail"]
