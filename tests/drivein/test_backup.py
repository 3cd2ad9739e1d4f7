"""
manage.py backup and restore: the demo data goes out and comes back identical, on the
database the suite runs on (SQLite, or PostgreSQL restored into a second database);
bad folders, damaged files and a database that is not empty are refused cleanly.
"""

import contextlib
import re
import resource
import signal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from drivein.backup import backups_in
from tests import factories as f
from tests.drivein.snapshot import snapshot
from visits.models import VisitReport

pytestmark = pytest.mark.django_db(transaction=True)


def backup(directory: Path, *args: str) -> Path:
    out = StringIO()
    call_command("backup", "--dir", str(directory), *args, stdout=out)
    return Path(out.getvalue().split("Backup written: ")[1].split(" (")[0])


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo runs only with DEBUG on
    call_command("seed_demo", "--weeks", "3", stdout=StringIO())
    settings.DEBUG = False


@pytest.fixture
def second_database(tmp_path):
    """An empty database beside the test database, of the same kind, as a connection."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "postgresql":
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings_dict['NAME']}")
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    second = connections["default"].__class__(settings_dict, alias="restored")
    yield second
    second.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")


@pytest.fixture
def some_data(centre):
    return f.make_stop(centre, community="Redsted", slug="redsted")


def test_the_demo_data_round_trips_into_a_second_database(demo, second_database, tmp_path):
    from drivein.backup import backup_restore

    before = snapshot(connection)
    assert before["visits_visitreport"] > 100

    path = backup(tmp_path / "backups")
    backup_restore(connection=second_database, path=path)

    assert snapshot(second_database) == before


def test_restore_replaces_a_changed_database_only_when_forced(demo, tmp_path):
    before = snapshot(connection)
    path = backup(tmp_path)
    VisitReport.objects.filter(pk__in=VisitReport.objects.values("pk")[:10]).delete()
    changed = snapshot(connection)

    with pytest.raises(CommandError, match=r"The database is not empty .* give --force"):
        call_command("restore", str(path))
    assert snapshot(connection) == changed

    call_command("restore", str(path), "--force", stdout=StringIO())
    assert snapshot(connection) == before


def test_rotation_keeps_the_newest(some_data, tmp_path):
    made = [backup(tmp_path, "--keep", "2") for _ in range(3)]
    (tmp_path / "notes.txt").write_text("not a backup")

    assert backups_in(tmp_path) == made[1:]
    assert {path.stat().st_mode & 0o777 for path in made[1:]} == {0o600}  # contact data
    backup(tmp_path, "--keep", "1")
    assert len(backups_in(tmp_path)) == 1
    assert (tmp_path / "notes.txt").exists()


@contextlib.contextmanager
def disk_holding(size: int):
    """Files larger than ``size`` bytes cannot be written (as on a full disk)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_full_backup_folder_leaves_no_half_file_and_the_old_backups(some_data, tmp_path):
    old = [backup(tmp_path), backup(tmp_path)]

    with disk_holding(8192), pytest.raises(CommandError) as refused:
        backup(tmp_path, "--keep", "1")

    message = str(refused.value)
    assert str(tmp_path) in message
    assert "is full" in message or "is the disk full?" in message
    assert message.endswith("No backup was written.")
    assert set(tmp_path.iterdir()) == set(old)


@pytest.mark.parametrize(
    "where",
    [
        "under-a-file/backups",  # a path through a regular file: no folder can be made
        "/proc/drivein-backups",  # the kernel's own file system: not even root writes there
        "/proc",
    ],
)
def test_an_unwritable_backup_folder_is_a_clear_error(some_data, tmp_path, where):
    (tmp_path / "under-a-file").write_text("a file")
    directory = tmp_path / where

    with pytest.raises(CommandError) as refused:
        backup(directory)

    assert str(directory) in str(refused.value)
    assert re.search("cannot be created|not writable|could not be written", str(refused.value))
    assert not list(tmp_path.glob("**/*drivein-*"))


@pytest.mark.parametrize("damage", ["cut", "junk", "empty"])
def test_a_damaged_backup_is_refused_and_the_database_left_alone(some_data, tmp_path, damage):
    good = backup(tmp_path).read_bytes()
    path = tmp_path / "drivein-damaged.dump"
    path.write_bytes(
        {"cut": good[: len(good) // 2], "junk": b"this is not a backup\n" * 100, "empty": b""}[
            damage
        ]
    )
    before = snapshot(connection)

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(path), "--force")

    assert snapshot(connection) == before


def test_a_missing_backup_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"There is no backup file .*nothing\.dump"):
        call_command("restore", str(tmp_path / "nothing.dump"))
