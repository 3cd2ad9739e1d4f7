from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundersConfig(AppConfig):
    """The funders' reports: a grant's period as a PDF (at once or in the background), mailed."""

    name = "funders"
    verbose_name = _("Funder reports")
