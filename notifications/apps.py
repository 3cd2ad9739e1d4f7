from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to volunteers, coordinators and leaders: one log, one way to send."""

    name = "notifications"
    verbose_name = _("Notifications")
