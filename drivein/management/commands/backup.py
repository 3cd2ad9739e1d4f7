from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from drivein.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database into a folder (BACKUP_DIR or --dir): PostgreSQL with "
        "pg_dump's custom format, SQLite with its online backup API. With --keep N the "
        "oldest backups beyond N are removed once the new one is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="Backup folder (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Keep the newest N backups, remove older.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args, dir: Path | None, keep: int | None, database: str, **options):
        directory = dir or Path(settings.BACKUP_DIR)
        try:
            path = backup_create(connection=connections[database], directory=directory, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
