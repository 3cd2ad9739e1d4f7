from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DriveinConfig(AppConfig):
    name = "drivein"
    verbose_name = _("Drive-in")
