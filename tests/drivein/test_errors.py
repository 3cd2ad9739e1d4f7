from django.test import override_settings
from django.urls import include, path

from core.weeks import week_param


def week_view(request):
    from django.http import HttpResponse

    return HttpResponse(str(week_param(request)))


urlpatterns = [path("week/", week_view), path("", include("drivein.urls"))]
handler400 = "core.errors.bad_request"
handler404 = "core.errors.page_not_found"


@override_settings(ROOT_URLCONF=__name__)
def test_a_malformed_week_is_a_400_that_says_why(client, db):
    response = client.get("/week/?week=2026-48")
    assert response.status_code == 400
    assert "“2026-48” er ikke en uge. Skriv den som 2026-W48." in response.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_good_week_passes(client, db):
    assert client.get("/week/?week=2026-W53").text == "2026-W53"


@override_settings(ROOT_URLCONF=__name__)
def test_the_api_gets_its_errors_as_json(client, db):
    response = client.get("/week/?week=x", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "er ikke en uge" in response.json()["detail"]


def test_a_missing_page_answers_404_in_danish(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_a_failed_security_check_answers_the_phone_in_json_and_danish(client, volunteer_user):
    from django.test import Client

    phone = Client(enforce_csrf_checks=True)
    phone.force_login(volunteer_user)
    response = phone.post(
        "/home-visits/new/",
        data="{}",
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Sikkerhedstjekket mislykkedes: siden er nok for gammel. "
        "Genindlæs den, og prøv igen.",
        "code": "csrf_failed",
    }


def test_a_failed_security_check_shows_a_danish_page_to_a_browser(volunteer_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(volunteer_user)
    response = browser.post("/home-visits/new/", {"duration_minutes": "60"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "Siden er udløbet" in response.text
    assert "Genindlæs den, og prøv igen." in response.text
    assert "CSRF" not in response.text


def test_the_favicon_is_the_apps_icon(client, db):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    with open(finders.find("icons/icon-192.png"), "rb") as icon:
        assert b"".join(response.streaming_content) == icon.read()
