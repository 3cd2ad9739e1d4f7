from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set and its ``seed_demo`` command; no models."""

    name = "demo"
    verbose_name = _("Demo data")
