from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    """Weekly reach for leadership: dashboard, targets, completeness, trends, exports."""

    name = "reach"
    verbose_name = _("Reach")

    def ready(self) -> None:
        # In ready(): summaries imports models, not loaded when apps.py is.
        from django.db.models.signals import post_migrate, pre_migrate

        from reach import summaries

        pre_migrate.connect(summaries.drop_before_migrating, sender=self)
        post_migrate.connect(summaries.ensure_installed, sender=self)
