from django.test import override_settings
from django.urls import include, path

from drivein.errors import week_param


def week_view(request):
    from django.http import HttpResponse

    return HttpResponse(str(week_param(request)))


urlpatterns = [path("week/", week_view), path("", include("drivein.urls"))]
handler400 = "drivein.errors.bad_request"
handler404 = "drivein.errors.page_not_found"


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
