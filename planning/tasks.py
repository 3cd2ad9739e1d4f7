"""Background work for planning (Django's tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.tasks import task

from planning.legs import legs_fill


@task
def fill_legs(centre_ids: list[int] | None = None) -> dict:
    """Keep the road legs of the centres given (all when None) up to date."""
    result = legs_fill(centre_ids=centre_ids)
    return {"centres": result.centres, "computed": result.computed, "problem": result.problem}


def schedule_fill(centre_ids: Iterable[int] | None = None) -> None:
    """Fill the legs in the background once this transaction commits (when roads are set up)."""
    if not (settings.ROUTING_TILES_DIR or settings.ROUTING_URL):
        return
    ids = None if centre_ids is None else sorted(set(centre_ids))
    transaction.on_commit(lambda: fill_legs.enqueue(ids))
