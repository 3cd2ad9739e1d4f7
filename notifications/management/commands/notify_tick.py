from django.core.management.base import BaseCommand

from notifications.services import notify_tick


class Command(BaseCommand):
    help = (
        "Record the reminders, change notices and coordinators' alerts due now and queue "
        "them for the workers (manage.py db_worker). Run it from cron every few minutes; "
        "running it twice sends nothing twice."
    )

    def handle(self, *args, **options) -> None:
        result = notify_tick()
        self.stdout.write(
            f"Recorded {result.recorded}, queued {result.queued}, interrupted {result.interrupted}."
        )
