from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueKind(models.TextChoices):
    VILLAGE_HALL = "village_hall", _("Village hall")
    COMMUNITY_HOUSE = "community_house", _("Community house")
    CHURCH_HALL = "church_hall", _("Church hall")
    PARKING_LOT = "parking_lot", _("Parking lot")
    OTHER = "other", _("Other")


class Coverage(models.TextChoices):
    """Mobile phone coverage at the stop, as the volunteers know it."""

    GOOD = "good", _("Good")
    WEAK = "weak", _("Weak")
    NONE = "none", _("No signal")
    UNKNOWN = "unknown", _("Unknown")
