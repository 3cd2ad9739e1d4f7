"""The OpenAPI schema and the Swagger UI docs: served here, complete, CSP-clean."""

import re

import pytest

OPERATIONS = {
    ("/api/v1/centres/", "get"),
    ("/api/v1/centres/{id}/", "get"),
    ("/api/v1/stops/", "get"),
    ("/api/v1/stops/{id}/", "get"),
    ("/api/v1/visits/", "get"),
    ("/api/v1/visits/{id}/", "get"),
    ("/api/v1/visits/{id}/report/", "get"),
    ("/api/v1/visits/{id}/report/", "put"),
    ("/api/v1/visits/{id}/check-in/", "post"),
    ("/api/v1/home-visits/", "get"),
    ("/api/v1/home-visits/", "post"),
    ("/api/v1/home-visits/{id}/", "get"),
    ("/api/v1/auth/token/", "post"),
    ("/api/v1/reach/", "get"),
    # docs/people.md
    ("/api/v1/absences/", "get"),
    ("/api/v1/absences/", "post"),
    ("/api/v1/absences/{id}/", "get"),
    ("/api/v1/absences/{id}/", "delete"),
    ("/api/v1/qualifications/", "get"),
    ("/api/v1/qualifications/", "post"),
    ("/api/v1/qualifications/{id}/", "get"),
    ("/api/v1/qualifications/{id}/", "delete"),
    # Shifts (issue 13, api/shifts.py)
    ("/api/v1/shifts/", "get"),
    ("/api/v1/shifts/{id}/answer/", "post"),
    ("/api/v1/shifts/{id}/hand-over/", "post"),
    ("/api/v1/open-places/", "get"),
    ("/api/v1/open-places/take/", "post"),
    ("/api/v1/offers/{id}/accept/", "post"),
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_operation(schema):
    found = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert found == OPERATIONS


def test_every_operation_documents_its_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            if method in ("put", "post"):
                assert {"413", "415"} <= codes, (method, path)


def test_the_report_put_documents_201_200_and_409(schema):
    put = schema["paths"]["/api/v1/visits/{id}/report/"]["put"]
    assert {"200", "201", "409"} <= set(put["responses"])
    conflict = put["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict["$ref"].endswith("/ReportConflictOutput")
    assert "submission_id" in put["description"]


def test_the_schema_names_token_and_session_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "http" or schemes["tokenAuth"]["in"] == "header"
    assert "cookieAuth" in schemes


def test_the_docs_page_loads_everything_from_here_with_no_inline_script(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.text
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/' in tag, tag
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url  # nothing from another host
    assert "swagger-ui-bundle.js" in html


def test_the_docs_start_up_script_is_served_as_javascript(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.text


def test_the_swagger_assets_are_served_locally(client, db):
    html = client.get("/api/docs/").text
    bundle = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', html)[1]
    assert client.get(bundle).status_code == 200
