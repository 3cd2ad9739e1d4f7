"""Print a new VAPID key pair for the settings (docs/push.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from webpush import keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY) for Web Push."

    def handle(self, *args, **options) -> None:
        private, public = keys.generate()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stderr.write(
            "Keep the private key secret. Changing the pair later means every phone "
            "must subscribe again (the profile does it when it is next opened)."
        )
