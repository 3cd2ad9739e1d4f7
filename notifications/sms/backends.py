"""SMS backends for development and tests (nothing leaves the machine)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from django.utils import timezone

from notifications import sms
from notifications.sms.base import SmsBackend, SmsMessage
from notifications.sms.gsm import parts


class ConsoleBackend(SmsBackend):
    def send(self, to: str, text: str) -> None:
        info = parts(text)
        sys.stdout.write(
            f"SMS to +{to} from {self.sender} ({info.count} part(s), {info.encoding}):\n"
            f"{text}\n{'-' * 40}\n"
        )
        sys.stdout.flush()


class FileBackend(SmsBackend):
    def send(self, to: str, text: str) -> None:
        folder = Path(self.url.path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        name = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.sms"
        name.write_text(f"To: +{to}\nFrom: {self.sender}\n\n{text}\n", encoding="utf-8")


class LocmemBackend(SmsBackend):
    def send(self, to: str, text: str) -> None:
        sms.outbox.append(SmsMessage(to=to, text=text, sender=self.sender))
