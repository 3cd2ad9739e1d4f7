"""The one SQL building block the selectors share: a sum that is 0, not NULL, over no rows."""

from __future__ import annotations

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce


def summed(path: str, **filters) -> Coalesce:
    return Coalesce(Sum(path, filter=Q(**filters) if filters else None), Value(0))
