from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerRole(models.TextChoices):
    DRIVER = "driver", _("Driver")
    HOST = "host", _("Host")
    LOCAL_STAFF = "local_staff", _("Local staff")
    ADVISER = "adviser", _("Adviser")
