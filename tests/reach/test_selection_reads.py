"""
The centre a reach selection asks for is read once: ``resolve_selection`` reads it
within the reader's reach, and ``ReachQuery.build`` takes its id from there instead
of reading the centre again. The query it builds is the one build reads for itself.
"""

import pytest
from django.http import Http404

from core.access import visible_centre_ids
from reach.params import resolve_selection
from reach.selectors.query import ReachQuery
from tests import factories as f

WEEK = {"week": "2025-W48"}


def _built(user, selection, centre_id):
    return ReachQuery.build(
        start=selection.period.start,
        end=selection.period.end,
        centre_id=centre_id,
        centre_scope=visible_centre_ids(user),
        today=selection.query.today,
    )


def test_leadership_asking_for_a_centre_counts_what_build_would(world, leader):
    selection = resolve_selection(leader, {**WEEK, "centre": str(world.mors.pk)})
    assert selection.query.centres == (world.mors.pk,)
    assert selection.query == _built(leader, selection, world.mors.pk)


def test_a_coordinator_asking_for_their_centre_counts_what_build_would(world):
    alice = f.make_coordinator(world.mors, "alice")
    selection = resolve_selection(alice, {**WEEK, "centre": str(world.mors.pk)})
    assert selection.query == _built(alice, selection, world.mors.pk)
    assert selection.query.stops == _built(alice, selection, world.mors.pk).stops


def test_a_centre_outside_the_coordinators_reach_is_still_404(world):
    alice = f.make_coordinator(world.mors, "alice")
    with pytest.raises(Http404):
        resolve_selection(alice, {**WEEK, "centre": str(world.skjern.pk)})


def test_a_centre_asked_for_costs_one_read_less(world, leader, django_assert_num_queries):
    # The reader's role, the centre with its region, its stops' ids (no second read
    # of the centre's id).
    with django_assert_num_queries(3):
        resolve_selection(leader, {**WEEK, "centre": str(world.mors.pk)})
