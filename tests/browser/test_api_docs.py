"""The Swagger UI works under our Content Security Policy, in a real browser."""

from playwright.sync_api import expect


def test_swagger_ui_renders_the_operations_with_no_csp_violation(page, live_server, db):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Drive-in API")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    # 14, 8 for absences and qualifications (docs/people.md), 6 for shifts (api/shifts.py)
    assert operations.count() == 28
    expect(page.locator(".opblock-put .opblock-summary-path")).to_contain_text(
        "/api/v1/visits/{id}/report/"
    )
    # Open the report PUT: its 201, 200 and 409 answers are documented.
    page.locator(".opblock-put .opblock-summary").click()
    responses = page.locator(".opblock-put .responses-table .response-col_status")
    expect(responses.filter(has_text="409")).to_be_visible()
    expect(responses.filter(has_text="201")).to_be_visible()

    assert problems == []
    assert all(url.startswith((live_server.url, "data:")) for url in requests)
