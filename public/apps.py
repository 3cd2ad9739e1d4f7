from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What anyone may open without a login: stop pages, posters, calendar feeds."""

    name = "public"
    verbose_name = _("Public pages")
