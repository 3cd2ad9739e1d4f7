"""
/healthz for a load balancer: 200 when this server can do its work, 503 with the
checks that failed when not. It names no versions, hosts or paths, and no rate
limit applies to it (docs/operations.md, "Health").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK = "ok"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return OK


def check_migrations() -> str:
    try:
        loader = MigrationExecutor(connection).loader
        # Every migration of the graph that the database has not recorded: a plan to
        # the leaf nodes would miss one in the middle of an app whose leaf is applied.
        waiting = set(loader.graph.nodes) - set(loader.applied_migrations)
    except DatabaseError:
        return "unknown: the database is unreachable"
    return f"{len(waiting)} not applied" if waiting else OK


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, OK, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:  # each cache backend raises its own errors (redis.ConnectionError …)
        return "unreachable"
    return OK if answered == OK else "does not keep what it is given"


def database_task_backend() -> bool:
    """Whether settings.TASKS queues tasks in the database (django-tasks-db), for a worker."""
    backends = getattr(settings, "TASKS", {}) or {}
    return any(
        str(options.get("BACKEND", "")).startswith("django_tasks")
        and str(options.get("BACKEND", "")).endswith("DatabaseBackend")
        for options in backends.values()
    )


def check_worker() -> str:
    """
    The worker's heartbeat is the queue itself: a worker takes each due task within
    seconds, so a task that has been due for longer than HEALTH_WORKER_MAX_WAIT
    seconds means no worker is running (an empty queue is a healthy idle worker).
    """
    try:
        # Only when TASKS names the database backend: django-tasks-db is then installed.
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:
        return "not installed: TASKS names django-tasks-db"
    cutoff = timezone.now() - dt.timedelta(seconds=settings.HEALTH_WORKER_MAX_WAIT)
    try:
        waiting = (
            DBTaskResult.objects.filter(status="READY", enqueued_at__lt=cutoff)
            .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
            .exists()
        )
    except DatabaseError:
        return "unknown: the database is unreachable"
    if waiting:
        return f"tasks due for over {settings.HEALTH_WORKER_MAX_WAIT} s: no worker takes them"
    return OK


def checks() -> dict[str, Callable[[], str]]:
    found = {"database": check_database, "migrations": check_migrations, "cache": check_cache}
    if database_task_backend():
        found["worker"] = check_worker
    return found


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: check() for name, check in checks().items()}
    failed = [name for name, result in results.items() if result != OK]
    return JsonResponse(
        {"status": "fail" if failed else OK, "failed": failed, "checks": results},
        status=503 if failed else 200,
    )
