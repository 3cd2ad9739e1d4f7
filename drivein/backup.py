"""
Backups that restore (docs/operations.md, "Back up" and "Restore").

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore``
and ``psql`` in one transaction; SQLite is copied with its online backup API, which
gives a consistent copy while the site keeps writing. A backup is written to a hidden
``.partial`` file in the backup folder and renamed when it is complete, so that a full
or failing disk never leaves a half file that looks like a backup. Rotation removes the
oldest backups only after a new one has been written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

PREFIX = "drivein-"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}
# The first bytes of each kind of file: a custom-format dump and a SQLite database.
# What SQLite may leave beside a database file it was writing.
SIDE_FILES = ("-journal", "-wal", "-shm")
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in SUFFIXES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def backups_in(directory: Path) -> list[Path]:
    """The backups in a folder, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(
        (
            path
            for path in directory.iterdir()
            if path.name.startswith(PREFIX) and path.suffix in SUFFIXES.values() and path.is_file()
        ),
        key=_made_at,
    )


def _made_at(path: Path) -> tuple[str, int]:
    """drivein-20261201T211548Z-2.sqlite3 → ("20261201T211548Z", 2): the order made."""
    stamp, _dash, number = path.stem.removeprefix(PREFIX).partition("-")
    return stamp, int(number) if number.isdigit() else 1


def backup_create(
    *, connection: BaseDatabaseWrapper, directory: Path, keep: int | None = None
) -> Path:
    """
    Write a backup of the connection's database into ``directory`` and return its path.
    With ``keep``, the oldest backups beyond that number are removed afterwards.
    """
    vendor = _vendor(connection)
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1: the new backup is always kept.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"The backup folder {directory} cannot be created: {error}.") from error
    if not os.access(directory, os.W_OK | os.X_OK):
        raise BackupError(f"The backup folder {directory} is not writable.")
    final = _new_name(directory, SUFFIXES[vendor])
    partial = directory / f".{final.name}.partial"
    try:
        # Readable by the owner only: a backup holds volunteers' contact data. An
        # unwritable folder fails here, before any dump runs.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if vendor == "postgresql":
            _pg_dump(connection.settings_dict, partial)
        else:
            _sqlite_backup(connection, partial)
        with partial.open("rb") as written:
            os.fsync(written.fileno())  # on the disk before it is named a backup
        partial.rename(final)
    except OSError as error:
        raise BackupError(_disk_message(directory, error)) from error
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
    if keep is not None:
        for old in backups_in(directory)[:-keep]:
            old.unlink()
    return final


def _new_name(directory: Path, suffix: str) -> Path:
    """drivein-<UTC time><suffix>, numbered -2, -3 … after others of the same second."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    same_second = [number for made, number in map(_made_at, backups_in(directory)) if made == stamp]
    if not same_second:
        return directory / f"{PREFIX}{stamp}{suffix}"
    return directory / f"{PREFIX}{stamp}-{max(same_second) + 1}{suffix}"


def _disk_message(directory: Path, error: OSError) -> str:
    if error.errno in {28, 27}:  # ENOSPC, EFBIG
        return f"The backup folder {directory} is full: {error.strerror}. No backup was written."
    if error.errno == 5:  # EIO: what SQLite says when a write fails
        return (
            f"The backup could not be written to {directory}: {error.strerror} (is the disk "
            "full?). No backup was written."
        )
    return f"The backup could not be written to {directory}: {error}. No backup was written."


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the command-line tools: the password never on a command line."""
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} is not installed (Debian: apt-get install postgresql-client); "
            "it must match the PostgreSQL server's major version or be newer."
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        if result.returncode == -signal.SIGXFSZ:  # over the file size limit (ulimit -f)
            raise OSError(27, "File too large")
        if "No space left" in detail or "File too large" in detail:
            raise OSError(28, detail)
        raise BackupError(f"{what} failed: {detail}")


def _pg_dump(settings_dict: dict[str, Any], target: Path) -> None:
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        _pg_env(settings_dict),
        "pg_dump",
    )


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    connection.ensure_connection()
    try:
        destination = sqlite3.connect(target)
    except sqlite3.Error as error:
        raise OSError(5, f"{target} cannot be opened: {error}") from error
    try:
        connection.connection.backup(destination)
        # The copy is one self-contained file, not a database in WAL mode with side files.
        destination.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise OSError(28 if "full" in str(error) else 5, str(error)) from error
    finally:
        destination.close()


# Restore ---------------------------------------------------------------------------


def backup_restore(*, connection: BaseDatabaseWrapper, path: Path, force: bool = False) -> None:
    """
    Replace the connection's database with the backup at ``path``. A database that
    already has tables is refused unless ``force``. A file that is not a complete
    backup is refused before the database is touched.
    """
    vendor = _vendor(connection)
    _check_file(path, vendor)
    if vendor == "postgresql":
        database_restore_postgresql(settings_dict=connection.settings_dict, path=path, force=force)
    else:
        _sqlite_restore(connection, path, force)


def _check_file(path: Path, vendor: str) -> None:
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        start = file.read(len(MAGIC[vendor]))
    if start != MAGIC[vendor]:
        other = next((v for v, magic in MAGIC.items() if start == magic[: len(start)]), None)
        if other and other != vendor and start:
            raise BackupError(
                f"{path} is a {other} backup; this site's database is {vendor}. "
                "Nothing was changed."
            )
        raise BackupError(f"{path} is not a Drive-in {vendor} backup. Nothing was changed.")


def _not_empty(tables: list[str], force: bool) -> None:
    if tables and not force:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables). Restore into an empty "
            "database, or give --force to replace everything in this one. Nothing was changed."
        )


def database_restore_postgresql(*, settings_dict: dict[str, Any], path: Path, force: bool) -> None:
    """
    Restore a custom-format dump into the database ``settings_dict`` names. The dump
    is first turned into SQL (a corrupt or cut-off dump fails there, before the
    database is touched); then the old tables are dropped and the dump loaded in one
    transaction, so that an error part-way leaves the database as it was.
    """
    _check_file(path, "postgresql")
    env = _pg_env(settings_dict)
    tables = _pg_tables(env)
    _not_empty(tables, force)
    with tempfile.TemporaryDirectory(prefix="drivein-restore-") as scratch:
        script = Path(scratch) / "restore.sql"
        try:
            _run(
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    f"--file={script}",
                    str(path),
                ],
                env,
                "Reading the backup",
            )
        except BackupError as error:
            raise BackupError(
                f"{path} is damaged or incomplete ({error}). Nothing was changed."
            ) from error
        # The old tables and functions go in the same transaction as the load (psql -1 wraps every
        # --file), in the schema the site uses, before the dump empties the search path.
        drop = Path(scratch) / "drop.sql"
        drop.write_text(
            "".join(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE;\n" for table in tables)
            + "".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;\n" for f in _pg_functions(env))
        )
        _run(
            [_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction",
             "--set=ON_ERROR_STOP=1", f"--file={drop}", f"--file={script}"],
            env,
            "Restoring (the database was left as it was)",
        )  # fmt: skip


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_tables(env: dict[str, str]) -> list[str]:
    return _pg_list(env, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")


# The site's own functions (reach's summary triggers call them), not an extension's.
_FUNCTIONS = """SELECT p.oid::regprocedure FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema() AND p.prokind = 'f'
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"""


def _pg_functions(env: dict[str, str]) -> list[str]:
    return _pg_list(env, _FUNCTIONS)


def _pg_list(env: dict[str, str], query: str) -> list[str]:
    result = subprocess.run(
        [
            _tool("psql"),
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            f"--command={query}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"The database cannot be reached: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line]


def _sqlite_restore(connection: BaseDatabaseWrapper, path: Path, force: bool) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            verdict = source.execute("PRAGMA integrity_check").fetchone()[0]
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        else:
            if verdict == "ok" and not has_migrations:
                verdict = "it has no Drive-in tables"
        if verdict != "ok":
            raise BackupError(f"{path} is damaged or incomplete ({verdict}). Nothing was changed.")
        connection.ensure_connection()
        _not_empty(connection.introspection.table_names(), force)
        # The backup API replaces the whole database in one step.
        source.backup(connection.connection)
    finally:
        source.close()
