"""
A small, fully known world for the reach figures: two regions, three centres, five
stops, and the cafés of ISO week 2025-W48 (Monday 24 to Sunday 30 November 2025)
with reports, referrals, assignments and home visits, plus a café on each side of
the week that must not count. Every expected figure in the tests is worked out by
hand from this docstring and the code below.

    Nordjylland  Brovst (target 35)  Skovsgaard: e planned 24/11 (no status)
                                                  f held 30/11, report 2 people
                 Mors (target 70)    Redsted:    a held 25/11, report 10 people, referrals
                                                   debt 2 + legal 1, vol1 (in) + vol2
                                                 b held 27/11, report 5 people, vol1
                                     Karby:      c held 26/11, NO report, vol3
                                                 d cancelled 28/11 (vol2 assigned)
                                     Vils:       inactive stop, no cafés
    Midtjylland  Skjern (target 84)  Tarm:       g held 25/11, report 20 people,
                                                   referral legal 3, vol4 + vol1
    Outside the week: Redsted held 23/11 (100 people, W47) and 1/12 (50 people, W49).
    Home visits: Mors 26/11, Skjern 27/11 (in the week), Mors 1/12 (outside).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from tests import factories as f
from visits.models import HomeVisit, ReportReferral

WEEK_MONDAY = dt.date(2025, 11, 24)


def day(n: int) -> dt.date:
    """The n-th of November 2025 (or a later day: 31 is 1 December)."""
    return dt.date(2025, 11, 1) + dt.timedelta(days=n - 1)


def held_with_report(stop, date, *, referrals=None, **counts):
    visit = f.make_visit(stop, date=date, status="held")
    defaults = {"people_met": 0, "new_people": 0, "meals": 0}
    report = f.make_report(visit, **{**defaults, **counts})
    for service, count in (referrals or {}).items():
        ReportReferral.objects.create(report=report, service_type=service, count=count)
    return visit


def build_world() -> SimpleNamespace:
    """The world of the module docstring (also used by the browser test)."""
    north = f.make_region(code="1081", name="Region Nordjylland")
    mid = f.make_region(code="1082", name="Region Midtjylland")
    brovst = f.make_centre(name="Brovst", region=north, weekly_people_target=35)
    mors = f.make_centre(name="Mors", region=north, weekly_people_target=70)
    skjern = f.make_centre(name="Skjern", region=mid, weekly_people_target=84)
    skovsgaard = f.make_stop(brovst, community="Skovsgaard", slug="skovsgaard")
    redsted = f.make_stop(mors, community="Redsted", slug="redsted")
    karby = f.make_stop(mors, community="Karby", slug="karby")
    vils = f.make_stop(mors, community="Vils", slug="vils", active=False)
    tarm = f.make_stop(skjern, community="Tarm", slug="tarm")
    debt = f.make_service_type(slug="debt", name="Gældsrådgivning", position=1)
    legal = f.make_service_type(slug="legal", name="Retshjælp", position=2)
    vol1, vol2, vol3 = (f.make_volunteer(mors, name=n) for n in ("Vol 1", "Vol 2", "Vol 3"))
    vol4 = f.make_volunteer(skjern, name="Vol 4")

    e = f.make_visit(skovsgaard, date=day(24), status="planned")
    fv = held_with_report(
        skovsgaard, day(30), people_met=2, new_people=1, meals=2, volunteer_minutes=60
    )
    a = held_with_report(
        redsted,
        day(25),
        people_met=10,
        new_people=2,
        meals=9,
        food_bags=4,
        clothing_items=3,
        other_items=1,
        volunteer_minutes=240,
        referrals={debt: 2, legal: 1},
    )
    b = held_with_report(redsted, day(27), people_met=5, meals=5, volunteer_minutes=120)
    c = f.make_visit(karby, date=day(26), status="held")
    d = f.make_visit(karby, date=day(28), status="cancelled", cancel_reason="Sne")
    g = held_with_report(
        tarm,
        day(25),
        people_met=20,
        new_people=3,
        meals=18,
        food_bags=10,
        volunteer_minutes=300,
        referrals={legal: 3},
    )
    before = held_with_report(redsted, day(23), people_met=100, new_people=10, meals=90)
    after = held_with_report(redsted, day(31), people_met=50, new_people=5, meals=45)

    checked_in = timezone.make_aware(dt.datetime(2025, 11, 25, 10, 5))
    f.make_assignment(a, vol1, checked_in_at=checked_in)
    f.make_assignment(a, vol2)
    f.make_assignment(b, vol1)
    f.make_assignment(c, vol3)
    f.make_assignment(d, vol2)
    f.make_assignment(g, vol4)
    f.make_assignment(g, vol1)
    f.make_assignment(e, vol3)  # planned, not held: not counted
    f.make_assignment(before, vol4)  # outside the week

    for centre, date in ((mors, day(26)), (skjern, day(27)), (mors, day(31))):
        HomeVisit.objects.create(centre=centre, date=date, duration_minutes=60)

    return SimpleNamespace(
        north=north,
        mid=mid,
        brovst=brovst,
        mors=mors,
        skjern=skjern,
        skovsgaard=skovsgaard,
        redsted=redsted,
        karby=karby,
        vils=vils,
        tarm=tarm,
        debt=debt,
        legal=legal,
        vol1=vol1,
        vol2=vol2,
        vol3=vol3,
        vol4=vol4,
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        f=fv,
        g=g,
        before=before,
        after=after,
    )
