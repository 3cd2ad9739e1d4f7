from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import FUNDER_GRANTS, CentreScopedQuerySet
from stops.choices import Coverage, VenueKind

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class Region(models.Model):
    """One of the five Danish regions; reach is reported per region."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class CentreSiteQuerySet(CentreScopedQuerySet):
    centre_lookup = "pk"

    def active(self) -> CentreSiteQuerySet:
        return self.filter(active=True)


class CentreSite(models.Model):
    """A centre site (centersted): a café, shelter or project whose van drives out."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    town = models.CharField(_("town"), max_length=100)
    municipality = models.CharField(_("municipality"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="centres", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True, validators=LONGITUDE
    )
    weekly_people_target = models.PositiveIntegerField(
        _("weekly people target"),
        default=84,
        help_text=_("People the centre aims to meet per week across its stops."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Issue 13 (shifts/): whether a volunteer's tap on an open place takes it at once
    # or asks the coordinator first ("request and confirm").
    places_need_approval = models.BooleanField(
        _("taking an open place needs approval"),
        default=False,
        # In the database too: migration tests run older code against this table.
        db_default=False,
        help_text=_("Off: a volunteer who takes an open place has it at once."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_centres",
        verbose_name=_("coordinators"),
        help_text=_("Staff who plan this centre's week."),
    )

    objects = CentreSiteQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["coordinators"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre site")
        verbose_name_plural = _("centre sites")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="centre_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="centre_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StopQuerySet(CentreScopedQuerySet):
    centre_lookup = "centre"

    def active(self) -> StopQuerySet:
        return self.filter(active=True, centre__active=True)


class Stop(models.Model):
    """A place in a rural community where the van stops and the café opens."""

    # Who made a change, for its history row: the services set it, simple-history reads it.
    _history_user: AbstractBaseUser | None

    centre = models.ForeignKey(
        CentreSite, on_delete=models.PROTECT, related_name="stops", verbose_name=_("centre")
    )
    community = models.CharField(
        _("community"), max_length=100, help_text=_("The village or rural community.")
    )
    venue_name = models.CharField(_("venue"), max_length=150)
    venue_kind = models.CharField(
        _("kind of venue"), max_length=20, choices=VenueKind.choices, default=VenueKind.VILLAGE_HALL
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True, validators=LONGITUDE
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    roster_position = models.PositiveSmallIntegerField(
        _("roster position"), help_text=_("The stop's place in the centre's roster (1, 2, 3 …).")
    )
    slug = models.SlugField(
        _("public address"),
        max_length=80,
        unique=True,
        help_text=_("The stop's public page is /s/<address>/."),
    )
    access_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Keys, parking, power, toilets.")
    )
    coverage = models.CharField(
        _("phone coverage"), max_length=10, choices=Coverage.choices, default=Coverage.UNKNOWN
    )
    coverage_notes = models.CharField(_("notes on phone coverage"), max_length=200, blank=True)
    # The team a visit here wants (shifts/): a pattern or a visit may say otherwise.
    places_wanted = models.PositiveSmallIntegerField(
        _("people wanted"),
        default=2,
        db_default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    needs_driver = models.BooleanField(_("needs a driver"), default=True, db_default=True)
    active = models.BooleanField(_("active"), default=True)

    objects = StopQuerySet.as_manager()
    history = HistoricalRecords()

    # What a coordinator writes about the place (the planning form and services).
    PLACE_FIELDS = (
        "community",
        "venue_name",
        "venue_kind",
        "address",
        "municipality",
        "latitude",
        "longitude",
        "coverage",
        "coverage_notes",
        "access_notes",
    )

    class Meta:
        ordering = ["centre__name", "roster_position"]
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "roster_position"],
                name="stop_unique_roster_position",
                violation_error_message=_("Another stop of this centre has that roster position."),
            ),
            models.CheckConstraint(
                condition=Q(roster_position__gte=1),
                name="stop_roster_position_positive",
                violation_error_message=_("The roster position starts at 1."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="stop_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="stop_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} ({self.venue_name})"


class VanQuerySet(CentreScopedQuerySet):
    centre_lookup = "centre"

    def active(self) -> VanQuerySet:
        return self.filter(active=True)

    def sole_vans(self, centre_ids) -> dict[int, int]:
        """The van of each centre (of those given) that has exactly one active van."""
        rows = (
            self.active()
            .filter(centre_id__in=list(centre_ids))
            .values("centre_id")
            .annotate(count=Count("id"), van=Min("id"))
            .filter(count=1)
        )
        return {row["centre_id"]: row["van"] for row in rows}


class Van(models.Model):
    """One of a centre's vans: the café drives out in it; a visit is driven by one."""

    centre = models.ForeignKey(
        CentreSite, on_delete=models.PROTECT, related_name="vans", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=60)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    active = models.BooleanField(_("active"), default=True)

    objects = VanQuerySet.as_manager()

    class Meta:
        ordering = ["centre__name", "name"]
        verbose_name = _("van")
        verbose_name_plural = _("vans")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "name"],
                name="van_unique_name_per_centre",
                violation_error_message=_("The centre already has a van by that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Funder(models.Model):
    """A grant (foundation, the state) that covers centres or stops over a date range."""

    name = models.CharField(_("name"), max_length=150)
    grant_reference = models.CharField(_("grant reference"), max_length=80, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    centres = models.ManyToManyField(
        CentreSite, blank=True, related_name="funders", verbose_name=_("centres")
    )
    stops = models.ManyToManyField(
        Stop,
        blank=True,
        related_name="funders",
        verbose_name=_("stops"),
        help_text=_("Stops covered beyond the whole centres chosen above."),
    )
    notes = models.TextField(_("notes"), blank=True)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name=FUNDER_GRANTS,
        verbose_name=_("funder logins"),
        help_text=_(
            "Logins of the funder: they read this grant's reach (its stops and days, "
            "suppressed for publication) and nothing else."
        ),
    )

    class Meta:
        ordering = ["name", "start_date"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="funder_end_after_start",
                violation_error_message=_("The grant cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covered_stops(self) -> models.QuerySet[Stop]:
        """Every stop the grant covers: its stops and all stops of its centres."""
        return Stop.objects.filter(Q(funders=self) | Q(centre__funders=self)).distinct()
