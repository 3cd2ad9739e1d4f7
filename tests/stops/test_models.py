import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests import factories as f


def test_roster_position_is_unique_per_centre(stop):
    with pytest.raises(IntegrityError):
        f.make_stop(stop.centre, roster_position=stop.roster_position)


def test_the_same_roster_position_is_fine_in_another_centre(stop, other_centre):
    other = f.make_stop(other_centre, roster_position=stop.roster_position)
    assert other.roster_position == stop.roster_position


def test_slug_is_unique_across_centres(stop, other_centre):
    with pytest.raises(IntegrityError):
        f.make_stop(other_centre, slug=stop.slug)


def test_roster_position_starts_at_one(centre):
    with pytest.raises(IntegrityError):
        f.make_stop(centre, roster_position=0)


def test_full_clean_explains_a_taken_roster_position_in_danish(stop):
    duplicate = type(stop)(
        centre=stop.centre,
        community="Karby",
        venue_name="Karby Fælleshus",
        roster_position=stop.roster_position,
        slug="karby",
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Et andet stop i dette centersted har den plads i ruten." in str(error.value)


def test_coordinates_must_be_on_earth(centre):
    with pytest.raises(IntegrityError):
        f.make_stop(centre, latitude=91)


def test_funder_cannot_end_before_it_starts(db):
    import datetime as dt

    from stops.models import Funder

    with pytest.raises(IntegrityError):
        Funder.objects.create(
            name="Fond", start_date=dt.date(2026, 1, 1), end_date=dt.date(2025, 1, 1)
        )


def test_funder_covers_its_stops_and_every_stop_of_its_centres(stop, other_stop, centre):
    import datetime as dt

    from stops.models import Funder

    third = f.make_stop(other_stop.centre)
    funder = Funder.objects.create(name="Fond", start_date=dt.date(2026, 1, 1))
    funder.centres.add(centre)
    funder.stops.add(third)
    assert set(funder.covered_stops()) == {stop, third}
