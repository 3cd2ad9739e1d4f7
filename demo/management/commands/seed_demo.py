import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.builder import DEMO_SEED, DemoBuilder
from demo.logins import DEMO_PASSWORD, USERNAMES
from stops.models import CentreSite


class Command(BaseCommand):
    help = (
        "Load demo data: the programme's centre towns, ~12 communities each, patterns, "
        "invented volunteers, past weeks of visits and reports, and a demo login per role "
        f"(password '{DEMO_PASSWORD}'). Development only. Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="demo: 15 centres, 180 stops; national: 25 centres, 300 stops (benchmarks).",
        )
        parser.add_argument(
            "--weeks", type=int, help="Weeks of history (default 12; with --years, 52 a year)."
        )
        parser.add_argument("--years", type=int, help="Years of history (national benchmarks).")
        parser.add_argument(
            "--times",
            type=int,
            default=1,
            help="National only: that many copies of the national set (10: 250 centres, "
            "3,000 stops), each with its own made-up towns and villages.",
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has centres (for make run).",
        )

    def handle(self, *args, scale, weeks, years, times, seed, if_empty, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                f"seed_demo creates logins with the password '{DEMO_PASSWORD}' and runs only "
                "with DEBUG on. Never load demo data into production."
            )
        if weeks is not None and years is not None:
            raise CommandError("Give --weeks or --years, not both.")
        history_weeks = weeks if weeks is not None else 52 * years if years is not None else 12
        if not 1 <= history_weeks <= 52 * 10:
            raise CommandError("History must be between 1 week and 10 years.")
        if not 1 <= times <= 12 or (times > 1 and scale != "national"):
            raise CommandError("--times is 1 to 12, and more than 1 only with --scale national.")
        if if_empty and CentreSite.objects.exists():
            self.stdout.write("Demo data: the database already has centres; nothing loaded.")
            return

        started = time.monotonic()
        result = DemoBuilder(scale=scale, weeks=history_weeks, seed=seed, times=times).build()
        for message in result.messages:
            self.stdout.write(self.style.WARNING(message))
        if options["verbosity"] >= 2:
            steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.timings.items())
            self.stdout.write(f"Steps: {steps}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ({scale}): {result.centres} centres, {result.stops} stops, "
                f"{result.patterns} patterns, {result.volunteers} volunteers, "
                f"{result.visits} past visits, {result.reports} reports, "
                f"{result.home_visits} home visits in {time.monotonic() - started:.1f} s. "
                f"Logins {', '.join(USERNAMES)} (password '{DEMO_PASSWORD}')."
            )
        )
