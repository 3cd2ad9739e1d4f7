"""A funder report's selection: the dashboard's, for one grant and period, for publication."""

from __future__ import annotations

from collections.abc import Mapping

from core.access import AnyUser
from reach.params import Selection, resolve_selection
from reach.periods import PERIOD_PARAMS


def period_params(params: Mapping[str, str]) -> dict[str, str]:
    """Only the period's parameters of a request (the report is always the whole grant)."""
    return {name: params[name] for name in PERIOD_PARAMS if params.get(name)}


def report_selection(user: AnyUser, funder_id: int, params: Mapping[str, str]) -> Selection:
    """
    The reader's selection for one grant and period, as the dashboard resolves it:
    404 for a reader who may not see the grant, ``SelectionError`` for a bad period.
    """
    return resolve_selection(
        user, {**period_params(params), "funder": str(funder_id), "publication": "1"}
    )
