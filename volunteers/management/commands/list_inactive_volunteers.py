"""List volunteers inactive for over two years, for a GDPR review."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from volunteers.gdpr import volunteers_inactive


class Command(BaseCommand):
    help = (
        "List volunteers with no shift, home visit, login or sign-up in the last two years, "
        "so an administrator can review them and anonymise those who have left."
    )

    def handle(self, *args, **options) -> None:
        volunteers = list(volunteers_inactive())
        if not volunteers:
            self.stdout.write(_("No volunteer has been inactive for over two years."))
            return
        self.stdout.write(
            _("%(count)s volunteers inactive for over two years:") % {"count": len(volunteers)}
        )
        for volunteer in volunteers:
            self.stdout.write(
                f"{volunteer.pk:>6}  {volunteer.last_activity:%Y-%m-%d}  "
                f"{volunteer.home_centre.name:<24}  {volunteer.name}"
            )
        self.stdout.write(
            _("Review them in the admin (Volunteers); the action “Anonymise” wipes their details.")
        )
