"""Marking a café as checked on the data-quality page (docs/data-quality.md)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from reach.models import QualityCheck
from visits.models import Visit


@transaction.atomic
def quality_check_mark(*, visit: Visit, user: User) -> tuple[QualityCheck, bool]:
    """
    Mark the visit as checked by ``user`` now; marking it again (a double tap, a
    resent form) keeps the first check, who and when. Returns (check, created).
    """
    return QualityCheck.objects.get_or_create(visit=visit, defaults={"checked_by": user})
