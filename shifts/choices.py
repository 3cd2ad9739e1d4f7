from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferState(models.TextChoices):
    WAITING = "waiting", _("Offered, waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Someone else filled the place first (another offer, an open-place tap, the coordinator).
    TAKEN = "taken", _("Taken by someone else")
    # The place is gone for another reason: the visit was cancelled or has started.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandOverState(models.TextChoices):
    PENDING = "pending", _("Waiting for the colleague")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
