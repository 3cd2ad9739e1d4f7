from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerRole(models.TextChoices):
    DRIVER = "driver", _("Driver")
    HOST = "host", _("Host")
    LOCAL_STAFF = "local_staff", _("Local staff")
    ADVISER = "adviser", _("Adviser")


class AbsenceCategory(models.TextChoices):
    """Why a volunteer is away. A fixed list, never free text: the personal-data rule."""

    HOLIDAY = "holiday", _("Holiday")
    ILLNESS = "illness", _("Illness")
    OTHER = "other", _("Other")


class QualificationKind(models.TextChoices):
    """What a volunteer holds. The criminal record certificate is its date only."""

    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record certificate")
    FOOD_HYGIENE = "food_hygiene", _("Food hygiene course")


class Attendance(models.TextChoices):
    """Whether an assigned volunteer was at the visit; blank until known."""

    UNKNOWN = "", _("Unknown")
    PRESENT = "present", _("Present")
    NO_SHOW = "no_show", _("No-show")


class AssignmentAnswer(models.TextChoices):
    """A volunteer's own answer to a shift (shifts/): not answered yet, coming, or not."""

    NONE = "", _("Not answered")
    CONFIRMED = "confirmed", _("Coming")
    DECLINED = "declined", _("Cannot come")


class DeclineReason(models.TextChoices):
    """The preset reasons for "Jeg kan ikke"; free text goes in the note (personal-data rule)."""

    ILL = "ill", _("Ill")
    PLANS = "plans", _("Other plans")
    TRANSPORT = "transport", _("No transport")
    OTHER = "other", _("Other reason")
