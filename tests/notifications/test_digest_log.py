"""The weekly digest goes through the notifications' log: recorded, and not sent twice."""

import pytest

from core.weeks import IsoWeek
from notifications.models import Notification
from reach.services import digest_send
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_digest_is_logged_and_a_second_run_sends_nothing(mailoutbox):
    leader = f.make_leader("lea")
    leader.email = "lea@example.org"
    leader.save()
    digest_send(week=IsoWeek(2025, 48))
    digest_send(week=IsoWeek(2025, 48))
    assert len(mailoutbox) == 1
    assert "bed en administrator fjerne" in mailoutbox[0].body  # how to stop it
    [logged] = Notification.objects.filter(kind="digest")
    assert (
        logged.status == "sent"
        and logged.user == leader
        and logged.key.startswith("digest:2025-W48")
    )
