from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import CentreScopedQuerySet
from core.weeks import monday_of
from stops.models import CentreSite, Stop, Van
from visits import limits, upcoming
from visits.choices import VisitStatus, Weekday
from visits.validators import (
    validate_no_personal_data,
    validate_reason_without_personal_data,
)


class ServiceType(models.Model):
    """A kind of help a participant can be referred to (debt counselling, legal aid …)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, help_text=_("In Danish."))
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (Danish unless English is chosen and given)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class VisitPatternQuerySet(CentreScopedQuerySet):
    centre_lookup = "stop__centre"

    def valid_between(self, start: dt.date, end: dt.date) -> VisitPatternQuerySet:
        """Patterns whose valid range touches [start, end]."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start), valid_from__lte=end
        )


class VisitPattern(models.Model):
    """A stop's weekly rhythm: weekday, time, length and every how many weeks."""

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="patterns", verbose_name=_("stop")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(limits.MAX_VISIT_MINUTES)],
    )
    every_n_weeks = models.PositiveSmallIntegerField(
        _("every n weeks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("1 = every week, 2 = every other week …"),
    )
    anchor_date = models.DateField(
        _("first week"),
        null=True,
        blank=True,
        help_text=_(
            "A date in a week when the café comes; with every 2 or more weeks it "
            "decides which weeks. Empty means the week of 'valid from'."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The team wanted, when it differs from the stop's (None: as the stop).
    places_wanted = models.PositiveSmallIntegerField(
        _("people wanted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Empty: as the stop."),
    )
    needs_driver = models.BooleanField(
        _("needs a driver"), null=True, blank=True, help_text=_("Empty: as the stop.")
    )

    objects = VisitPatternQuerySet.as_manager()
    history = HistoricalRecords()

    # What a coordinator sets (the planning form, the admin, planning.services).
    SCHEDULE_FIELDS = (
        "weekday",
        "start_time",
        "duration_minutes",
        "every_n_weeks",
        "anchor_date",
        "valid_from",
        "valid_until",
    )

    class Meta:
        ordering = ["stop", "weekday", "start_time"]
        verbose_name = _("visit pattern")
        verbose_name_plural = _("visit patterns")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7),
                name="pattern_weekday_range",
                violation_error_message=_("The weekday must be Monday (1) to Sunday (7)."),
            ),
            models.CheckConstraint(
                condition=Q(every_n_weeks__gte=1),
                name="pattern_every_n_weeks_positive",
                violation_error_message=_("A pattern repeats every 1 or more weeks."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1),
                name="pattern_duration_positive",
                violation_error_message=_("A visit must last at least one minute."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="pattern_valid_range",
                violation_error_message=_("“Valid until” cannot be before “valid from”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stop}: {self.get_weekday_display()} {self.start_time:%H:%M}"

    @property
    def end_time(self) -> dt.time:
        start = dt.datetime.combine(dt.date.min, self.start_time)
        return (start + dt.timedelta(minutes=self.duration_minutes)).time()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        # Only a duration its field allows (clean_fields has refused the rest, and
        # clean() runs even so): 10**18 minutes would overflow the date.
        if self.start_time and 1 <= (self.duration_minutes or 0) <= limits.MAX_VISIT_MINUTES:
            start = dt.datetime.combine(dt.date.min, self.start_time)
            if (start + dt.timedelta(minutes=self.duration_minutes)).date() != dt.date.min:
                errors["duration_minutes"] = _("The visit must end before midnight.")
        if self.stop_id and self.weekday and self.valid_from and self._overlapping().exists():
            errors["valid_from"] = _(
                "This stop already has a pattern on that weekday in an overlapping period."
            )
        if errors:
            raise ValidationError(errors)

    def _overlapping(self) -> VisitPatternQuerySet:
        far_future = dt.date.max
        return (
            VisitPattern.objects.filter(stop_id=self.stop_id, weekday=self.weekday)
            .exclude(pk=self.pk)
            .valid_between(self.valid_from, self.valid_until or far_future)
        )

    def dates_between(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """The dates in [start, end] (inclusive) on which this pattern puts a visit."""
        first = max(start, self.valid_from)
        last = min(end, self.valid_until) if self.valid_until else end
        if first > last:
            return
        anchor_monday = monday_of(self.anchor_date or self.valid_from)
        day = first + dt.timedelta(days=(self.weekday - first.isoweekday()) % 7)
        while day <= last:
            weeks = (monday_of(day) - anchor_monday).days // 7
            if weeks % self.every_n_weeks == 0:
                yield day
            day += dt.timedelta(days=7)


class VisitQuerySet(CentreScopedQuerySet):
    centre_lookup = "stop__centre"

    def between(self, start: dt.date, end: dt.date) -> VisitQuerySet:
        """Visits dated in [start, end], inclusive."""
        return self.filter(date__gte=start, date__lte=end)

    def in_week(self, monday: dt.date) -> VisitQuerySet:
        return self.between(monday, monday + dt.timedelta(days=6))

    def not_cancelled(self) -> VisitQuerySet:
        return self.exclude(status=VisitStatus.CANCELLED)

    def still_to_come(self, now: dt.datetime | None = None) -> VisitQuerySet:
        """Visits that start after ``now``, Danish time (visits.upcoming says why)."""
        return self.filter(upcoming.still_to_come(now=now))


class Visit(models.Model):
    """One café at one stop on one date: planned, held or cancelled."""

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    stop = models.ForeignKey(
        Stop, on_delete=models.PROTECT, related_name="visits", verbose_name=_("stop")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"),
        max_length=200,
        blank=True,
        validators=[validate_reason_without_personal_data],
        help_text=_("Shown to the team and in their calendar feeds: no names or personal details."),
    )
    van = models.ForeignKey(
        Van,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("van"),
        help_text=_("The van that drives to the visit (one of the centre's)."),
    )
    cancelled_with_stop = models.BooleanField(
        _("cancelled with its stop"),
        default=False,
        editable=False,
        help_text=_(
            "Cancelled because the stop was taken off the roster: planned again when the "
            "stop is put back. A visit cancelled by hand is not."
        ),
    )
    pattern = models.ForeignKey(
        VisitPattern,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("pattern"),
        help_text=_("Empty for an ad hoc visit."),
    )
    pattern_date = models.DateField(
        _("date from pattern"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The date the pattern gave; kept when the visit is moved."),
    )
    is_edited = models.BooleanField(
        _("edited by hand"),
        default=False,
        help_text=_("Generating visits from patterns leaves edited visits alone."),
    )
    is_holiday = models.BooleanField(_("public holiday"), default=False)
    holiday_name = models.CharField(_("holiday"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[validate_no_personal_data])
    # The team wanted, when it differs from the pattern's or the stop's (None: as those).
    places_wanted = models.PositiveSmallIntegerField(
        _("people wanted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Empty: as the pattern or the stop."),
    )
    needs_driver = models.BooleanField(
        _("needs a driver"),
        null=True,
        blank=True,
        help_text=_("Empty: as the pattern or the stop."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every change (optimistic locking).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time", "stop__roster_position"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="visit_end_after_start",
                violation_error_message=_("The visit must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["pattern", "pattern_date"],
                name="visit_unique_pattern_date",
                violation_error_message=_("The pattern already has a visit for that date."),
            ),
        ]
        indexes = [
            models.Index(fields=["date", "stop"], name="visit_date_stop"),
            models.Index(fields=["stop", "date"], name="visit_stop_date"),
        ]

    def __str__(self) -> str:
        return f"{self.stop.community} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    @property
    def is_ad_hoc(self) -> bool:
        return self.pattern_id is None

    @property
    def holiday_unconfirmed(self) -> bool:
        """
        A café the patterns put on a public holiday that nobody has confirmed: still
        planned and never edited by hand (the public page and feed say so).
        """
        return self.is_holiday and self.status == VisitStatus.PLANNED and not self.is_edited

    @property
    def duration_minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.start_time)
        end = dt.datetime.combine(self.date, self.end_time)
        return int((end - start).total_seconds() // 60)


COUNT_FIELDS = ("people_met", "new_people", "meals", "food_bags", "clothing_items", "other_items")
# The report's numbers: its counts and the volunteers' minutes (what reach adds up).
REPORT_FIGURES = (*COUNT_FIELDS, "volunteer_minutes")


def _count_field(label: str, maximum: int, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label, default=0, validators=[MaxValueValidator(maximum)], help_text=help_text
    )


class VisitReportQuerySet(CentreScopedQuerySet):
    centre_lookup = "visit__stop__centre"


class VisitReport(models.Model):
    """What happened at a held visit, counted: never who was there."""

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    visit = models.OneToOneField(
        Visit, on_delete=models.PROTECT, related_name="report", verbose_name=_("visit")
    )
    people_met = _count_field(_("people met"), limits.MAX_PEOPLE)
    new_people = _count_field(
        _("of whom new"), limits.MAX_PEOPLE, _("People who came for the first time.")
    )
    meals = _count_field(_("meals"), limits.MAX_ITEMS)
    food_bags = _count_field(_("food bags"), limits.MAX_ITEMS)
    clothing_items = _count_field(_("clothing items"), limits.MAX_ITEMS)
    other_items = _count_field(
        _("other items"), limits.MAX_ITEMS, _("Books, activity packs and the like.")
    )
    volunteer_minutes = _count_field(
        _("volunteer minutes"), limits.MAX_VOLUNTEER_MINUTES, _("All volunteers' time together.")
    )
    note = models.CharField(
        _("note"),
        max_length=limits.NOTE_MAX_LENGTH,
        blank=True,
        validators=[validate_no_personal_data],
        help_text=_("No names or personal details."),
    )
    submission_id = models.UUIDField(
        _("submission id"),
        unique=True,
        default=uuid.uuid4,
        help_text=_("Made on the phone; the same submission is stored only once."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    captured_at = models.DateTimeField(
        _("captured on the phone"),
        null=True,
        blank=True,
        help_text=_(
            "When the volunteer pressed send, by the phone's clock (a report sent late "
            "from a stop without signal is not late); the arrival time when the phone's "
            "clock cannot be right."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised each time the report is replaced.")
    )
    # The figures the server found outside the stop's usual range when the report
    # came (visits/ranges.py), and whether the volunteer said they are right: a
    # soft check never refuses a report, it lists it on the data-quality page.
    outliers = models.CharField(
        _("outside the usual range"),
        max_length=60,
        blank=True,
        help_text=_("The figures that were outside the stop's usual range, comma-separated."),
    )
    outliers_confirmed = models.BooleanField(
        _("confirmed as right"),
        default=False,
        help_text=_("The volunteer was warned and confirmed the figures outside the range."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisitReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visit__date"]
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}),
                    name=f"report_{name}_not_negative",
                    violation_error_message=_("Counts cannot be negative."),
                )
                for name in REPORT_FIGURES
            ),
            models.CheckConstraint(
                condition=Q(new_people__lte=F("people_met")),
                name="report_new_people_within_met",
                violation_error_message=_("“Of whom new” cannot exceed “people met”."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Report for %(visit)s") % {"visit": self.visit})


class Referral(models.Model):
    """
    How many people were referred to one kind of help: a café's report and a home
    visit count referrals alike. Each concrete kind adds its foreign key (named by
    ``owner_field``) and the constraint that a service type appears once per owner.
    """

    owner_field: str  # the concrete model's foreign key to what made the referrals

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    count = models.PositiveSmallIntegerField(
        _("count"), validators=[MinValueValidator(1), MaxValueValidator(limits.MAX_REFERRALS)]
    )

    class Meta:
        abstract = True
        ordering = ["service_type__position"]

    def __str__(self) -> str:
        return f"{self.service_type}: {self.count}"


class ReportReferral(Referral):
    """How many people a café referred to one kind of help."""

    owner_field = "report"

    report = models.ForeignKey(
        VisitReport, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("report")
    )

    history = HistoricalRecords()

    class Meta(Referral.Meta):
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "service_type"], name="referral_unique_per_report"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="referral_count_positive"),
        ]


class HomeVisitQuerySet(CentreScopedQuerySet):
    centre_lookup = "centre"


class HomeVisit(models.Model):
    """A home visit (grusvejstur) to someone who cannot come to the café; no names."""

    centre = models.ForeignKey(
        CentreSite, on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("centre")
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(limits.MAX_VISIT_MINUTES)],
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_visits",
        verbose_name=_("volunteer"),
    )
    note = models.CharField(
        _("note"),
        max_length=limits.NOTE_MAX_LENGTH,
        blank=True,
        validators=[validate_no_personal_data],
        help_text=_("No names or personal details."),
    )
    submission_id = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = HomeVisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="home_visit_duration_positive"
            ),
        ]
        indexes = [models.Index(fields=["centre", "date"], name="home_visit_centre_date")]

    def __str__(self) -> str:
        return f"{self.centre} {self.date:%Y-%m-%d}"


class HomeVisitReferral(Referral):
    """How many referrals of one kind a home visit made."""

    owner_field = "home_visit"

    home_visit = models.ForeignKey(
        HomeVisit, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("home visit")
    )

    class Meta(Referral.Meta):
        verbose_name = _("home visit referral")
        verbose_name_plural = _("home visit referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["home_visit", "service_type"], name="home_referral_unique_per_visit"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="home_referral_count_positive"),
        ]
