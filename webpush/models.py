"""The browsers that receive a volunteer's messages by Web Push."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from volunteers.models import Volunteer


class PushSubscription(models.Model):
    """
    One browser on one phone that has said yes to messages: the push service's
    address for it (the endpoint) and the keys the messages are encrypted to. A
    volunteer may have several phones; an endpoint belongs to one volunteer (the
    last one who subscribed on that browser).
    """

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name=_("volunteer"),
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    # The browser's P-256 public key (65 bytes) and auth secret (16 bytes), base64url.
    p256dh = models.CharField(_("public key"), max_length=100)
    auth = models.CharField(_("auth secret"), max_length=40)
    user_agent = models.CharField(_("browser"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["volunteer", "-created_at"]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.user_agent or self.endpoint[:40]}"

    def as_subscription_info(self) -> dict:
        """The shape pywebpush (and the browser's PushSubscription.toJSON()) use."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
