from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What anyone may open without a login: stop pages, posters, calendar feeds."""

    # Not "public": that name is taken by a package (atpublic, which aiosmtpd needs).
    name = "public_pages"
    label = "public_pages"
    verbose_name = _("Public pages")
