"""Background sending (Django's tasks on django-tasks-db; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from notifications.delivery import deliver_all


@task
def send_notifications(ids: list[int]) -> dict[str, int]:
    """Send these recorded notifications; each is claimed on its own, so a repeat is harmless."""
    return deliver_all(ids)
