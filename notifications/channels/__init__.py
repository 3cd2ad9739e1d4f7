"""The configured channels (settings.NOTIFICATION_CHANNELS: name → dotted class path)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels.base import Channel, PermanentFailure, TemporaryFailure

__all__ = ["Channel", "PermanentFailure", "TemporaryFailure", "get_channel", "get_channels"]


def get_channels() -> dict[str, Channel]:
    """A fresh instance of every configured channel, by name, in the setting's order."""
    return {name: import_string(path)() for name, path in settings.NOTIFICATION_CHANNELS.items()}


def get_channel(name: str) -> Channel | None:
    path = settings.NOTIFICATION_CHANNELS.get(name)
    return import_string(path)() if path else None
