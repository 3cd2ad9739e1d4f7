from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebpushConfig(AppConfig):
    name = "webpush"
    verbose_name = _("Web Push")

    def ready(self) -> None:
        from webpush import checks  # noqa: F401  (registers the key checks)
