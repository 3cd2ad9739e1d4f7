from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.weeks import InvalidWeek, IsoWeek
from reach.services import digest_send


class Command(BaseCommand):
    help = (
        "E-mail the weekly digest: each leader (the Ledelse group) last week's national "
        "reach, each coordinator the cafés of their centres still missing a report. "
        "Run it from cron on Monday morning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week", help="The ISO week to report, e.g. 2026-W47 (default: last week)."
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="The site's address for links in the mail (default: the SITE_URL setting).",
        )

    def handle(self, *args, week, base_url, **options) -> None:
        try:
            iso_week = IsoWeek.parse(week) if week else None
        except InvalidWeek as error:
            raise CommandError(str(error)) from error
        result = digest_send(week=iso_week, base_url=base_url)
        self.stdout.write(
            f"Digest sent to {result.leaders} leaders and {result.coordinators} coordinators."
        )
