"""/healthz: what a load balancer asks, each dependency failing in turn."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from drivein.health import database_task_backend

pytestmark = pytest.mark.django_db

HEALTHY = {"database": "ok", "migrations": "ok", "cache": "ok"}


def test_it_answers_200_with_every_check(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    worker = {"worker": "ok"} if database_task_backend() else {}
    assert response.json() == {"status": "ok", "failed": [], "checks": HEALTHY | worker}
    assert "no-cache" in response["Cache-Control"]


def test_it_names_nothing_secret(client, settings):
    body = client.get("/healthz").text

    for secret in (
        settings.DATABASES["default"]["NAME"],
        str(settings.BASE_DIR),
        "127.0.0.1",
        "6.1",
        "postgres",
        "sqlite",
    ):
        assert str(secret) not in body


def test_it_is_never_rate_limited(client, settings):
    settings.PATH_RATE_LIMITS = {"/s/": "2/minute", "/calendar/": "2/minute"}
    settings.AXES_FAILURE_LIMIT = 1

    assert [client.get("/healthz").status_code for _ in range(10)] == [200] * 10


def test_it_fails_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    # The worker's check reads the queue, in the database too.
    assert body["failed"] == ["database", "migrations"] + (
        ["worker"] if database_task_backend() else []
    )
    assert body["checks"]["database"] == "unreachable"
    assert body["checks"]["cache"] == "ok"


def test_it_fails_when_a_migration_is_not_applied(client):
    MigrationRecorder(connection).migration_qs.filter(
        app="visits", name="0004_note_without_personal_data"
    ).delete()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "1 not applied"


def redis_cache(url: str):
    return override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    )


def test_it_fails_when_the_cache_is_unreachable(client, closed_port):
    with redis_cache(f"redis://127.0.0.1:{closed_port}/2"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["cache"] == "unreachable"


def test_it_checks_a_shared_redis_cache(client):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/2").ping()
    except redis.ConnectionError:
        pytest.skip("REDIS TEST SKIPPED: no redis-server on 127.0.0.1:6379")

    with redis_cache("redis://127.0.0.1:6379/2"):
        assert client.get("/healthz").json()["checks"]["cache"] == "ok"


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_is_checked_only_when_tasks_use_the_database(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert not database_task_backend()
    assert "worker" not in client.get("/healthz").json()["checks"]

    settings.TASKS = DATABASE_TASKS
    assert database_task_backend()
    assert "worker" in client.get("/healthz").json()["checks"]


def _tasks_db_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("django_tasks_db")


@pytest.mark.skipif(_tasks_db_installed(), reason="django-tasks-db is installed here")
def test_tasks_in_the_database_without_django_tasks_db_is_a_failure(client, settings):
    settings.TASKS = DATABASE_TASKS

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


@pytest.mark.skipif(
    not _tasks_db_installed(), reason="django-tasks-db is not installed on this branch"
)
def test_a_task_waiting_longer_than_allowed_means_no_worker(client, settings):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_WORKER_MAX_WAIT = 300
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="drivein.health.check_cache",
        backend_name="default",
        run_after=get_date_max(),
    )
    assert client.get("/healthz").status_code == 200  # just queued: a worker has time

    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=301)
    )
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]

    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
    assert client.get("/healthz").status_code == 200


def test_a_load_balancer_asking_over_http_is_not_redirected(settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
