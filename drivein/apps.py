from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DriveinConfig(AppConfig):
    name = "drivein"
    verbose_name = _("Drive-in")

    def ready(self) -> None:
        # In ready(): django.contrib.admin imports models, not loaded when apps.py is.
        from django.contrib import admin

        admin.site.site_header = _("Drive-in administration")
        admin.site.site_title = _("Drive-in")
        admin.site.index_title = _("Centres, stops, visits and volunteers")
