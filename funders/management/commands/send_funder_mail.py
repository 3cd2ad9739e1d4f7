import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from funders.services import funder_mail_send


class Command(BaseCommand):
    help = (
        "Mail each active funder mailing the PDF report of the month or quarter just ended. "
        "Run it from cron or the notify timer; running it again sends nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Run as on this day (YYYY-MM-DD), for a catch-up.")

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-01-31.") from None
        counts = funder_mail_send(today=today)
        self.stdout.write(
            "Sent {sent}, already sent {already}, skipped {skipped}, failed {failed}.".format(
                **counts
            )
        )
