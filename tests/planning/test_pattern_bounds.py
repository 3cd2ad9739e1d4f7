"""
A pattern's duration out of range (a slip of the keyboard, a hostile form) is a
Danish message by the field and nothing written, in the planning form and in the
admin (it was an OverflowError, a server error: the model's maximum did not reach
the form, and the model's own check computed the end time with it).
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from visits.models import Visit, VisitPattern

HUGE = [10**18, 99_999_999_999, 32_768, 721]


def pattern_data(duration) -> dict:
    return {
        "weekday": 3,
        "start_time": "13:30",
        "duration_minutes": duration,
        "every_n_weeks": 1,
        "valid_from": timezone.localdate().isoformat(),
    }


@pytest.mark.parametrize("duration", HUGE)
def test_the_planning_form_refuses_a_huge_duration(client, coordinator, centre, stop, duration):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/", pattern_data(duration)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["duration_minutes"] == [
        "Denne værdi skal være mindre end eller lig 720."
    ]
    assert not VisitPattern.objects.exists()
    assert not Visit.objects.exists()


def test_the_planning_form_tells_the_phone_the_limits(client, coordinator, centre, stop):
    client.force_login(coordinator)
    html = client.get(f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/").text
    assert 'max="720"' in html and 'min="15"' in html


@pytest.mark.parametrize("duration", HUGE)
def test_the_admin_refuses_a_huge_duration(admin_client, stop, duration):
    response = admin_client.post(
        "/admin/visits/visitpattern/add/", {"stop": stop.pk, **pattern_data(duration)}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["duration_minutes"] == [
        "Denne værdi skal være mindre end eller lig 720."
    ]
    assert not VisitPattern.objects.exists()


def test_the_models_own_check_never_computes_with_a_refused_duration(stop):
    pattern = VisitPattern(
        stop=stop,
        weekday=3,
        start_time="13:30",
        duration_minutes=10**18,
        valid_from=timezone.localdate(),
    )
    pattern.start_time = pattern._meta.get_field("start_time").to_python("13:30")
    with pytest.raises(ValidationError) as error:
        pattern.full_clean()
    assert "duration_minutes" in error.value.message_dict
