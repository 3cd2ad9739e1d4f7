from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stops.models import CentreSite
from visits.services import GENERATE_WEEKS, MAX_GENERATION_WEEKS, visits_generate


class Command(BaseCommand):
    help = (
        "Create the planned visits that the stops' patterns give for the coming weeks "
        "(today's only if they start later today). "
        "Safe to run again: existing, moved, edited, held and cancelled visits are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--weeks",
            type=int,
            default=GENERATE_WEEKS,
            help=(
                "This week and how many weeks after it "
                f"(1–{MAX_GENERATION_WEEKS}; default {GENERATE_WEEKS})."
            ),
        )
        parser.add_argument(
            "--centre", type=int, action="append", help="Only this centre (id); may be repeated."
        )

    def handle(self, *args, weeks: int, centre: list[int] | None, **options) -> None:
        centres = None
        if centre:
            centres = list(CentreSite.objects.filter(pk__in=centre))
            missing = set(centre) - {c.pk for c in centres}
            if missing:
                raise CommandError(f"No centre with id {', '.join(map(str, sorted(missing)))}.")
        try:
            result = visits_generate(weeks=weeks, centres=centres)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.created} visits from {result.patterns} patterns, "
                f"{result.start:%Y-%m-%d} to {result.end:%Y-%m-%d} "
                f"({result.on_holidays} on public holidays)."
            )
        )
