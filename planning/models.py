from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.geo import Point, Source

# Coordinates are kept to 5 decimals (about a metre), as integers so that a pair is
# found by equality on every database.
SCALE = 100_000


def e5(value: float) -> int:
    return round(float(value) * SCALE)


class RoadLeg(models.Model):
    """
    One kept drive, one way, between two places (a centre or a stop): road metres and
    seconds from the routing engine, or the estimate when it found no road. Keyed by the
    two points, so a stop that moves simply has no legs yet; ``network`` names the road
    data that answered, so legs from an older build count as missing.
    """

    SOURCES = [
        (Source.ROAD, _("road")),
        (Source.NO_ROAD, _("no road found (estimate)")),
        (Source.ESTIMATE, _("estimate")),
    ]

    from_lat = models.IntegerField(_("from latitude (1/100 000°)"))
    from_lon = models.IntegerField(_("from longitude (1/100 000°)"))
    to_lat = models.IntegerField(_("to latitude (1/100 000°)"))
    to_lon = models.IntegerField(_("to longitude (1/100 000°)"))
    metres = models.PositiveIntegerField(_("metres"))
    seconds = models.PositiveIntegerField(_("seconds"))
    source = models.CharField(_("source"), max_length=10, choices=SOURCES)
    network = models.CharField(_("road network"), max_length=100, blank=True)
    shape = models.TextField(_("path"), blank=True, help_text=_("Encoded polyline (6 digits)."))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("road leg")
        verbose_name_plural = _("road legs")
        constraints = [
            models.UniqueConstraint(
                fields=["from_lat", "from_lon", "to_lat", "to_lon"], name="road_leg_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}: {self.metres} m, {self.seconds} s"

    @property
    def origin(self) -> Point:
        return Point(self.from_lat / SCALE, self.from_lon / SCALE)

    @property
    def destination(self) -> Point:
        return Point(self.to_lat / SCALE, self.to_lon / SCALE)

    @staticmethod
    def key(a: Point, b: Point) -> tuple[int, int, int, int]:
        return e5(a.lat), e5(a.lon), e5(b.lat), e5(b.lon)
