from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftsConfig(AppConfig):
    """Volunteers answer, take, hand over and are offered places on visits (issue 13)."""

    name = "shifts"
    verbose_name = _("Shifts")

    def ready(self) -> None:
        # In ready(): shifts.messages imports models, not loaded when apps.py is.
        from shifts import messages

        messages.register()
