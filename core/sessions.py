"""
Django's database sessions with the one read every signed-in request makes built
once (core/precompiled.py): the same table, rows and expiry, so sessions made before
stay valid. ``SESSION_ENGINE = "core.sessions"``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import models, router
from django.utils import timezone

from core.precompiled import Precompiled, attnames


def _live_session(key: str, now: dt.datetime) -> models.QuerySet:
    """The session with this key, if it has not expired."""
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        *attnames(Session)
    )


_LIVE_SESSION = Precompiled(_live_session, [str, dt.datetime])


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        using = router.db_for_read(Session)
        found = _LIVE_SESSION.instances(Session, self.session_key, timezone.now(), using=using)
        if not found:
            self._session_key = None
            return None
        return found[0]
