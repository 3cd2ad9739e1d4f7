"""
Mark who was at the past visits and who did not come (volunteers.people_services.
attendance_mark). Idempotent: run it every night from cron (docs/people.md); a
second run changes nothing, and a coordinator's correction always stands.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from volunteers.people_services import attendance_mark


class Command(BaseCommand):
    help = "Mark the past visits' teams: present (checked in or reported) or no-show."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=14,
            help="How many days back before today to look (default 14).",
        )

    def handle(self, *args, days: int, **options) -> None:
        present, absent = attendance_mark(days=max(days, 1))
        self.stdout.write(f"marked present: {present}, marked no-show: {absent}")
