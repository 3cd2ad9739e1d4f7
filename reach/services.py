"""
The weekly digest: each leader gets last week's national summary, each coordinator
the visits of their centres that still lack a report or a status.

Sent through Django's mail (settings.MAILERS; the console in development), in
Danish, one message per person. Run from cron on Monday morning (docs/leadership.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import ALL, leadership_users
from core.weeks import IsoWeek
from notifications.services import notification_send_digest
from reach.periods import Period
from reach.selectors.completeness import completeness_by_centre, visits_to_fix
from reach.selectors.figures import reach_rows, reach_total, service_types
from reach.selectors.query import ReachQuery
from reach.selectors.targets import apply_targets
from reach.selectors.totals import totals
from stops.models import CentreSite

# How far back a coordinator's reminder looks for visits still open.
REMINDER_WEEKS = 8


@dataclass(frozen=True)
class DigestResult:
    leaders: int
    coordinators: int


def _leader_summary(week: IsoWeek, today: dt.date) -> dict:
    q = ReachQuery.build(start=week.monday, end=week.sunday, centre_scope=ALL, today=today)
    types = service_types()
    rows = reach_rows(q, types=types)
    total = reach_total(q, rows, types=types)
    apply_targets(q, rows, total)
    year_earlier = Period.week(week).year_earlier()
    return {
        "week": week,
        "rows": rows,
        "total": total,
        "year_earlier": totals(q.with_dates(year_earlier.start, year_earlier.end)),
        "completeness": completeness_by_centre(q),
    }


def digest_send(
    *, week: IsoWeek | None = None, today: dt.date | None = None, base_url: str | None = None
) -> DigestResult:
    """
    Send the digest for ``week`` (last week by default); returns how many were sent.
    Links start with ``base_url``, by default settings.SITE_URL (a mail has no request).
    """
    base_url = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    today = today or timezone.localdate()
    week = week or IsoWeek.of(today).previous
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    leaders = list(leadership_users(users).order_by("pk"))
    sent_leaders = sent_coordinators = 0
    with translation.override("da"):
        if leaders:
            context = _leader_summary(week, today) | {"base_url": base_url}
            body = render_to_string("reach/email/leader_digest.txt", context)
            subject = _("Drive-in: reach in week %(week)s") % {"week": week}
            for leader in leaders:
                _send(subject, body, leader, key=f"digest:{week}:leader:{leader.pk}")
                sent_leaders += 1
        coordinators = users.filter(coordinated_centres__isnull=False).distinct().order_by("pk")
        first = week.shift(-(REMINDER_WEEKS - 1)).monday
        for coordinator in coordinators:
            centres = CentreSite.objects.filter(coordinators=coordinator).values("pk")
            q = ReachQuery.build(start=first, end=week.sunday, centre_scope=centres, today=today)
            to_fix = visits_to_fix(q, limit=200)
            if not to_fix:
                continue  # nothing to chase: no mail
            body = render_to_string(
                "reach/email/coordinator_digest.txt",
                {
                    "user": coordinator,
                    "to_fix": to_fix,
                    "week": week,
                    "base_url": base_url,
                    "weeks": REMINDER_WEEKS,
                },
            )
            subject = ngettext(
                "Drive-in: %(count)s café without a report or a status",
                "Drive-in: %(count)s cafés without a report or a status",
                len(to_fix),
            ) % {"count": len(to_fix)}
            _send(subject, body, coordinator, key=f"digest:{week}:coordinator:{coordinator.pk}")
            sent_coordinators += 1
    return DigestResult(leaders=sent_leaders, coordinators=sent_coordinators)


def _send(subject: str, body: str, user: AbstractBaseUser, *, key: str) -> None:
    # Through the notifications' log (one way to send): a second run for a week sends nothing.
    notification_send_digest(user=user, key=key, subject=subject, body=body)
