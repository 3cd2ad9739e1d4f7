"""
Offers, take-requests and hand-overs of places on visits. The answer to an
assignment itself (confirmed / declined, late) lives on volunteers.Assignment;
how many people a visit wants lives on the stop, the pattern and the visit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import CentreScopedQuerySet
from shifts.choices import HandOverState, OfferState, RequestState
from visits.models import Visit
from volunteers.choices import VolunteerRole
from volunteers.models import Assignment, Volunteer


class OfferQuerySet(CentreScopedQuerySet):
    centre_lookup = "visit__stop__centre"

    def waiting(self) -> OfferQuerySet:
        return self.filter(state=OfferState.WAITING)


class Offer(models.Model):
    """A freed place offered to one volunteer the picker ranks; the first to accept gets it."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="offers", verbose_name=_("visit")
    )
    role = models.CharField(_("role"), max_length=12, choices=VolunteerRole.choices)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="offers", verbose_name=_("volunteer")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 = the picker's best."))
    state = models.CharField(
        _("state"), max_length=10, choices=OfferState.choices, default=OfferState.WAITING
    )
    freed_by = models.ForeignKey(
        Assignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("freed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Set by the messaging (issue 14) once it has sent the offer: offers_to_announce().
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "rank", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "volunteer"],
                condition=Q(state="waiting"),
                name="offer_one_waiting_per_volunteer_and_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} → {self.volunteer} ({self.get_state_display()})"


class TakeRequestQuerySet(CentreScopedQuerySet):
    centre_lookup = "visit__stop__centre"

    def pending(self) -> TakeRequestQuerySet:
        return self.filter(state=RequestState.PENDING)


class TakeRequest(models.Model):
    """A volunteer asks for an open place where the centre's coordinator approves takes."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="take_requests", verbose_name=_("visit")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="take_requests",
        verbose_name=_("volunteer"),
    )
    role = models.CharField(_("role"), max_length=12, choices=VolunteerRole.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = TakeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "created_at", "pk"]
        verbose_name = _("request for a place")
        verbose_name_plural = _("requests for places")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "volunteer"],
                condition=Q(state="pending"),
                name="take_request_one_pending_per_volunteer_and_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.visit} ({self.get_state_display()})"


class HandOverQuerySet(CentreScopedQuerySet):
    centre_lookup = "assignment__visit__stop__centre"

    def pending(self) -> HandOverQuerySet:
        return self.filter(state=HandOverState.PENDING)


class HandOver(models.Model):
    """A volunteer hands their place to a named colleague, who accepts or declines."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="hand_overs", verbose_name=_("shift")
    )
    from_volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    to_volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="hand_overs_to_me",
        verbose_name=_("to"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=HandOverState.choices, default=HandOverState.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = HandOverQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state="pending"),
                name="hand_over_one_pending_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_volunteer} → {self.to_volunteer} ({self.get_state_display()})"
