"""
Check that the reach summaries equal the raw tables: every stop and day's figures,
referrals and volunteers, recomputed from the visits, reports, referrals and
assignments and compared row for row (docs/leadership.md, "Speed").

    .venv/bin/python manage.py reach_verify            # exit status 1 on a difference
    .venv/bin/python manage.py reach_verify --repair   # rebuild them, then check again
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from reach import summaries
from reach.models import StopDay


class Command(BaseCommand):
    help = "Compare the reach summaries with the raw visits, reports and assignments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="Rebuild the summaries first, then check."
        )

    def handle(self, *args, repair: bool, **options) -> None:
        missing = summaries.missing_triggers()
        if missing:
            self.stderr.write(f"Triggers missing: {', '.join(missing)} (run migrate).")
        if repair:
            with transaction.atomic():
                summaries.install()
                summaries.rebuild()
        found = summaries.differences()
        if found or missing:
            for table, rows in found.items():
                self.stderr.write(f"{table}:")
                for side, row in rows:
                    self.stderr.write(f"  only in the {side}: {row}")
            raise CommandError("The reach summaries differ from the raw tables.")
        self.stdout.write(
            f"The reach summaries equal the raw tables ({StopDay.objects.count()} stop-days)."
        )
