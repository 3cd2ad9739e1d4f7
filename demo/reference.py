"""
The demo's reference data: regions, service types, the centres with a van each,
their stops and weekly patterns, invented volunteers and three funders. Matched by
natural keys, so a second run finds the rows of the first and adds none.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history

from core.text import danish_slugify
from demo import data
from demo.places import centre_specs, near
from stops.choices import Coverage
from stops.models import CentreSite, Funder, Region, Stop, Van
from visits.models import ServiceType, VisitPattern
from volunteers.choices import QualificationKind
from volunteers.models import Qualification, Volunteer

VOLUNTEERS_PER_CENTRE = 10
BATCH = 2000
# Time slots a van can keep in one day, with room to drive between them.
SLOTS = [(dt.time(10, 0), 120), (dt.time(13, 30), 120), (dt.time(16, 30), 90)]
WORKDAYS = [1, 2, 3, 4, 5]


@dataclass
class Reference:
    """The rows the history is drawn from, in the order they were made."""

    service_type_ids: list[int] = field(default_factory=list)
    centres: list[CentreSite] = field(default_factory=list)
    vans: dict[int, int] = field(default_factory=dict)  # centre id → its van's id
    stops_by_centre: dict[int, list[Stop]] = field(default_factory=dict)
    patterns: list[VisitPattern] = field(default_factory=list)
    volunteers_by_centre: dict[int, list[Volunteer]] = field(default_factory=dict)

    def stop_centre(self) -> dict[int, int]:
        """Stop id → its centre's id."""
        return {
            stop.pk: centre_id
            for centre_id, stops in self.stops_by_centre.items()
            for stop in stops
        }


class ReferenceBuilder:
    """Writes the reference data; the history starts at ``history_start``."""

    def __init__(
        self,
        *,
        rng: random.Random,
        scale: str,
        times: int,
        today: dt.date,
        history_start: dt.date,
    ):
        self.rng = rng
        self.scale = scale
        self.times = times
        self.today = today
        self.history_start = history_start
        self.ref = Reference()

    def build(self) -> Reference:
        regions = {
            code: Region.objects.update_or_create(code=code, defaults={"name": name})[0]
            for code, name in data.REGIONS
        }
        self.ref.service_type_ids = [
            ServiceType.objects.update_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )[0].pk
            for position, (slug, name, name_en) in enumerate(data.SERVICE_TYPES, start=1)
        ]
        taken_slugs = set(Stop.objects.values_list("slug", flat=True))
        for spec in centre_specs(self.scale, self.rng, self.times):
            centre = self._centre(spec, regions)
            self.ref.centres.append(centre)
            self.ref.stops_by_centre[centre.pk] = self._stops(centre, spec, taken_slugs)
            self.ref.volunteers_by_centre[centre.pk] = self._volunteers(centre)
        self._funders()
        return self.ref

    def _centre(self, spec: dict, regions: dict[str, Region]) -> CentreSite:
        centre, _created = CentreSite.objects.update_or_create(
            name=spec["name"],
            defaults={
                "town": spec["town"],
                "municipality": spec["municipality"],
                "region": regions[spec["region"]],
                "address": spec["address"],
                "latitude": spec["lat"],
                "longitude": spec["lon"],
                "weekly_people_target": 12 * 7,
            },
        )
        self.ref.vans[centre.pk] = Van.objects.get_or_create(centre=centre, name="Bilen")[0].pk
        return centre

    def _stops(self, centre: CentreSite, spec: dict, taken_slugs: set[str]) -> list[Stop]:
        rng = self.rng
        existing = {stop.community: stop for stop in centre.stops.all()}
        slots = [(day, slot) for day in WORKDAYS for slot in range(len(SLOTS))]
        rng.shuffle(slots)
        # Twice-weekly stops take a spare slot on another weekday.
        spare = slots[12:]
        stops, new_stops, schedules = [], [], []
        for position, community in enumerate(spec["communities"], start=1):
            lat, lon = near(rng, spec["lat"], spec["lon"])
            kind, venue = rng.choice(data.VENUES)
            street = f"{rng.choice(data.STREETS)} {rng.randint(1, 60)}"
            coverage = rng.choices(
                [Coverage.GOOD, Coverage.WEAK, Coverage.NONE], weights=[6, 3, 1]
            )[0]
            stop = existing.get(community)
            if stop is None:
                slug = danish_slugify(community)
                if slug in taken_slugs:
                    slug = f"{slug}-{danish_slugify(spec['town'])}"
                taken_slugs.add(slug)
                stop = Stop(
                    centre=centre,
                    community=community,
                    venue_name=venue.format(community=community),
                    venue_kind=kind,
                    address=f"{street}, {community}",
                    latitude=lat,
                    longitude=lon,
                    municipality=spec["municipality"],
                    roster_position=position,
                    slug=slug,
                    coverage=coverage,
                    coverage_notes="Ring fra p-pladsen" if coverage == Coverage.NONE else "",
                    access_notes="Nøglen hentes hos formanden." if position % 4 == 0 else "",
                )
                new_stops.append(stop)
            stops.append(stop)
            schedules.append((stop, self._schedule(position, slots[position - 1], spare)))
        # In one statement each (with their history rows): ten times the national
        # set has 3,000 stops and 3,500 patterns.
        bulk_create_with_history(new_stops, Stop, batch_size=BATCH)
        new_patterns = []
        for stop, schedule in schedules:
            for weekday, fields in schedule:
                if stop in new_stops:
                    pattern = VisitPattern(stop=stop, weekday=weekday, **fields)
                    new_patterns.append(pattern)
                else:
                    pattern = VisitPattern.objects.get_or_create(
                        stop=stop, weekday=weekday, defaults=fields
                    )[0]
                self.ref.patterns.append(pattern)
        bulk_create_with_history(new_patterns, VisitPattern, batch_size=BATCH)
        return stops

    def _schedule(
        self, position: int, slot: tuple[int, int], spare: list[tuple[int, int]]
    ) -> list[tuple[int, dict]]:
        """One weekly slot per stop; every fifth stop twice a week, every seventh fortnightly."""
        chosen = [slot]
        if position % 5 == 0:
            second = next((s for s in spare if s[0] != slot[0]), None)
            if second is not None:
                spare.remove(second)
                chosen.append(second)
        every = 2 if position % 7 == 0 else 1
        schedule = []
        for weekday, slot_index in chosen:
            start, minutes = SLOTS[slot_index]
            fields = {
                "start_time": start,
                "duration_minutes": minutes,
                "every_n_weeks": every,
                "anchor_date": self.history_start,
                "valid_from": self.history_start,
            }
            schedule.append((weekday, fields))
        return schedule

    def _volunteers(self, centre: CentreSite) -> list[Volunteer]:
        rng = self.rng
        existing = {v.email: v for v in centre.volunteers.all()}
        volunteers, new = [], []
        for number in range(1, VOLUNTEERS_PER_CENTRE + 1):
            # Draw every random value whether or not the row exists, so that a
            # second run follows the same sequence as the first.
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.SURNAMES)}"
            days = "".join(str(d) for d in sorted(rng.sample(WORKDAYS, rng.randint(2, 4))))
            phone = "+45 " + " ".join(str(rng.randint(10, 99)) for _ in range(4))
            email = f"frivillig{number}.{danish_slugify(centre.name)}@example.org"
            if email in existing:
                volunteers.append(existing[email])
                continue
            new.append(
                Volunteer(
                    name=name,
                    phone=phone,
                    email=email,
                    home_centre=centre,
                    is_driver=number <= 4,
                    is_host=number > 2,
                    is_local_staff=number == 1,
                    is_adviser=number == 10,
                    available_weekdays="12345" if number <= 3 else days,
                    consent_date=self.history_start,
                )
            )
            volunteers.append(new[-1])
        bulk_create_with_history(new, Volunteer, batch_size=BATCH)
        # The drivers' licences (the week warns about a driver without a valid one); in
        # every fifth centre one runs out within the month, for the coordinator's list.
        licences = [
            Qualification(
                volunteer=v,
                kind=QualificationKind.DRIVING_LICENCE,
                valid_until=self.today
                + dt.timedelta(days=20 if i == 3 and centre.pk % 5 == 0 else 365 * 5),
            )
            for i, v in enumerate(v for v in new if v.is_driver)
        ]
        bulk_create_with_history(licences, Qualification, batch_size=BATCH)
        return volunteers

    def _funders(self) -> None:
        centres = self.ref.centres
        by_name = {centre.name: centre for centre in centres}
        start = dt.date(self.today.year - 1, 1, 1)
        north = [c for c in centres if c.region.code == "1081"]
        specs = [
            ("Landsbylivets Fond (demo)", "LF-2025-017", start, None, north, []),
            (
                "Puljen til mobile væresteder (demo)",
                "SM-2024-104",
                start,
                dt.date(self.today.year + 1, 12, 31),
                centres,
                [],
            ),
            (
                "Vestjysk Sparekassefond (demo)",
                "VSF-88",
                start,
                None,
                [],
                self.ref.stops_by_centre[by_name["Skjern"].pk][:6],
            ),
        ]
        for name, reference, begins, ends, funded_centres, stops in specs:
            funder, _created = Funder.objects.get_or_create(
                name=name,
                defaults={"grant_reference": reference, "start_date": begins, "end_date": ends},
            )
            funder.centres.set(funded_centres)
            funder.stops.set(stops)
