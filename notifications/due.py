"""
What is due at a tick: reminders, change notices, coordinators' alerts.

Each function returns unsaved Notification rows under their idempotency keys; the
tick records the new ones (delivery.record skips known keys) and queues them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.channels import Channel, get_channels
from notifications.choices import Kind, Status
from notifications.models import Mark, Notification, Preference, Told
from notifications.types import TYPES, Rendered, visit_start
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.models import Assignment, Volunteer
from volunteers.places import with_places


def preference_of(volunteer: Volunteer) -> Preference:
    try:
        return volunteer.notification_preference
    except Preference.DoesNotExist:
        return Preference.defaults_for(volunteer)


def reachable(volunteer: Volunteer, channels: dict[str, Channel] | None = None) -> list[str]:
    """The channels a volunteer can be reached on (has an address), wanted or not."""
    channels = get_channels() if channels is None else channels
    return [name for name, ch in channels.items() if ch.address_for(volunteer)]


def _quiet_end(pref: Preference, now: dt.datetime) -> dt.datetime | None:
    """When the volunteer's quiet hours end, if ``now`` is inside them."""
    local = timezone.localtime(now)
    if not pref.is_quiet(local.time()):
        return None
    end = local.replace(
        hour=pref.quiet_until.hour, minute=pref.quiet_until.minute, second=0, microsecond=0
    )
    return end if end > local else end + dt.timedelta(days=1)


def channels_for(volunteer: Volunteer, pref: Preference, channels: dict[str, Channel]) -> dict:
    """Channel name → address, for each channel the volunteer wants and can be reached on."""
    found = {}
    for name, channel in channels.items():
        address = channel.address_for(volunteer) if pref.wants(name) else None
        if address:
            found[name] = address
    return found


def known_keys(keys: Iterable[str]) -> set[str]:
    return set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))


def for_volunteer(
    volunteer: Volunteer,
    pref: Preference,
    *,
    key: str,
    kind: str,
    rendered: Rendered,
    now: dt.datetime,
    addresses: dict[str, str],
    visit: Visit | None = None,
    expires: dt.datetime | None = None,
) -> list[Notification]:
    """One row per channel in ``addresses`` (channels_for); quiet hours respected.

    No channel at all: one row "skipped", so that the log says why nobody was told.
    """
    common = {"volunteer": volunteer, "kind": kind, "visit": visit}
    common |= {"centre_id": volunteer.home_centre_id, "subject": rendered.subject}
    rows = []
    later = _quiet_end(pref, now)
    for name, address in addresses.items():
        row = Notification(
            key=f"{key}:{name}",
            channel=name,
            address=address,
            body=rendered.body_for(name),
            html=rendered.html if name == "email" else "",
            url=rendered.url,
            next_attempt_at=later or now,
            **common,
        )
        if later and expires and later >= expires:
            row.status = Status.SKIPPED
            row.error = _("In the volunteer's quiet hours until it was too late.")
        rows.append(row)
    if not rows:
        rows.append(
            Notification(
                key=f"{key}:none",
                channel="",
                status=Status.SKIPPED,
                error=_("Not reachable: no channel chosen, or no e-mail or phone."),
                **common,
            )
        )
    return rows


def for_user(
    user: Any, *, key: str, kind: str, rendered: Rendered, now: dt.datetime, **common: Any
) -> list[Notification]:
    """Coordinators and leaders: by e-mail."""
    if not user.email:
        return []
    return [
        Notification(
            key=f"{key}:email",
            user=user,
            kind=kind,
            channel="email",
            address=user.email,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            url=rendered.url,
            next_attempt_at=now,
            **common,
        )
    ]


def _when(visit: Visit) -> str:
    return f"{date_format(visit.date, 'l j. F')} {visit.start_time:%H.%M}"


def _upcoming_assignments(first: dt.date, last: dt.date) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            visit__date__range=(first, last),
            volunteer__active=True,
            volunteer__anonymised_at__isnull=True,
        )
        .select_related("visit__stop", "volunteer__notification_preference")
        .order_by("visit_id", "volunteer__name")
    )


def reminders(now: dt.datetime) -> list[Notification]:
    """The reminders due now: the day before at the chosen time, and N hours before."""
    today = timezone.localdate(now)
    assignments = [
        a
        for a in _upcoming_assignments(today, today + dt.timedelta(days=2))
        if a.visit.status == VisitStatus.PLANNED
    ]
    teams: dict[int, list[str]] = defaultdict(list)
    for a in assignments:
        teams[a.visit_id].append(a.volunteer.name)
    channels = get_channels()
    candidates = []
    for a in assignments:
        pref = preference_of(a.volunteer)
        start = visit_start(a.visit)
        if start <= now:
            continue
        kind = None
        if pref.remind_hours_before and start - dt.timedelta(hours=pref.remind_hours_before) <= now:
            kind, label = Kind.REMINDER_HOURS_BEFORE, "hours-before"
        elif pref.remind_day_before_at:
            eve = a.visit.date - dt.timedelta(days=1)
            if timezone.make_aware(dt.datetime.combine(eve, pref.remind_day_before_at)) <= now:
                kind, label = Kind.REMINDER_DAY_BEFORE, "day-before"
        if kind is None:
            continue
        key = f"reminder:{label}:{a.pk}:{a.visit.date}T{a.visit.start_time:%H%M}"
        addresses = channels_for(a.volunteer, pref, channels)
        candidates.append((a, pref, kind, key, addresses, start))
    # Render only what is new: most of a tick's candidates were recorded by an earlier one.
    known = known_keys(f"{c[3]}:{name}" for c in candidates for name in c[4] or ["none"])
    rows: list[Notification] = []
    for a, pref, kind, key, addresses, start in candidates:
        fresh = {n: addr for n, addr in addresses.items() if f"{key}:{n}" not in known}
        if (addresses and not fresh) or (not addresses and f"{key}:none" in known):
            continue
        with translation.override("da"):
            when = _when(a.visit)
        context = {
            "volunteer": a.volunteer,
            "visit": a.visit,
            "when": when,
            "team": [name for name in teams[a.visit_id] if name != a.volunteer.name],
            "role": a.get_role_display(),
            "soon": kind == Kind.REMINDER_HOURS_BEFORE,
        }
        rendered = TYPES[kind].render(context)
        rows += for_volunteer(
            a.volunteer,
            pref,
            key=key,
            kind=kind,
            rendered=rendered,
            now=now,
            addresses=fresh,
            visit=a.visit,
            expires=start,
        )
    return rows


# Changes ---------------------------------------------------------------------------


def _state(visit: Visit, team: list[str], me: str, on: bool = True) -> dict:
    """What a volunteer knows of a visit: when, where, whether it is on, who else comes."""
    return {
        "date": visit.date.isoformat(),
        "start": f"{visit.start_time:%H:%M}",
        "end": f"{visit.end_time:%H:%M}",
        "status": visit.status,
        "reason": visit.cancel_reason,
        "place": f"{visit.stop.venue_name}, {visit.stop.community}",
        "team": sorted(name for name in team if name != me),
        "on": on,
    }


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "l j. F")


def describe(old: dict | None, new: dict) -> list[dict]:
    """The lines of a change message, old → new (in Danish: call under translation)."""
    if old is None or old["on"] != new["on"]:
        return [
            {"label": _("You are on the team") if new["on"] else _("You are no longer on the team")}
        ]
    lines = []
    if old["date"] != new["date"]:
        lines.append({"label": _("Date"), "old": _day(old["date"]), "new": _day(new["date"])})
    if (old["start"], old["end"]) != (new["start"], new["end"]):
        lines.append(
            {
                "label": _("Time"),
                "old": f"{old['start']}–{old['end']}",
                "new": f"{new['start']}–{new['end']}",
            }
        )
    if old["place"] != new["place"]:
        lines.append({"label": _("Place"), "old": old["place"], "new": new["place"]})
    if old["status"] != new["status"]:
        if new["status"] == VisitStatus.CANCELLED:
            label = _("Cancelled")
            lines.append(
                {"label": label, "new": new["reason"]} if new["reason"] else {"label": label}
            )
        elif old["status"] == VisitStatus.CANCELLED:
            lines.append({"label": _("No longer cancelled: the café is on again")})
    if old["team"] != new["team"]:
        lines.append(
            {
                "label": _("Team"),
                "old": ", ".join(old["team"]) or "–",
                "new": ", ".join(new["team"]) or "–",
            }
        )
    return lines


def _told_matters(state: dict) -> dict:
    # A visit marked held afterwards is not news to the people who held it.
    return {
        **state,
        "status": VisitStatus.PLANNED if state["status"] == VisitStatus.HELD else state["status"],
    }


def changes(now: dt.datetime) -> list[Notification]:
    """Change notices for visits whose last edit has settled; updates what each was told.

    Call inside the tick's transaction: the mark is locked, so two ticks take turns.
    """
    cutoff = now - dt.timedelta(minutes=settings.NOTIFY_SETTLE_MINUTES)
    mark, created = Mark.objects.select_for_update().get_or_create(
        name="changes", defaults={"at": cutoff}
    )
    today = timezone.localdate(now)
    if created:  # the first tick ever: what is planned now is what everyone knows
        _baseline(today, before=cutoff)
        return []
    previous = mark.at
    _baseline(today, before=previous)
    if cutoff <= previous:
        return []
    visits = {
        v.pk: v
        for v in Visit.objects.filter(
            date__gte=today, updated_at__gt=previous, updated_at__lte=cutoff
        ).select_related("stop")
    }
    mark.at = cutoff
    mark.save(update_fields=["at"])
    if not visits:
        return []
    on_team: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(
        visit_id__in=visits, volunteer__active=True, volunteer__anonymised_at__isnull=True
    ).select_related("volunteer__notification_preference"):
        on_team[a.visit_id].append(a)
    told = defaultdict(dict)
    for t in Told.objects.filter(visit_id__in=visits).select_related(
        "volunteer__notification_preference"
    ):
        told[t.visit_id][t.volunteer_id] = t
    unsent = _unsent_changes(visits)
    replaced: list[str] = []
    channels = get_channels()
    rows: list[Notification] = []
    updated: list[Told] = []
    created_told: list[Told] = []
    with translation.override("da"):
        for visit_id, visit in visits.items():
            team = [a.volunteer.name for a in on_team[visit_id]]
            past = visit_start(visit) <= now
            people = {a.volunteer_id: (a.volunteer, a) for a in on_team[visit_id]}
            for volunteer_id, t in told[visit_id].items():
                people.setdefault(volunteer_id, (t.volunteer, None))
            for volunteer_id, (volunteer, assignment) in people.items():
                t = told[visit_id].get(volunteer_id)
                new = _state(visit, team, volunteer.name, on=assignment is not None)
                if t is None:
                    t = Told(volunteer=volunteer, visit=visit, state=new)
                    created_told.append(t)
                    if assignment.created_at <= previous:
                        continue  # was on it before we looked: nothing new to them
                    old = None
                elif _told_matters(t.state) == _told_matters(new):
                    continue  # nothing changed, or a change was undone before it settled
                else:
                    old = t.state
                    prefix = f"change:{visit_id}:{volunteer_id}:{t.messages}:"
                    if t.before is not None and prefix in unsent:
                        # The last message has not gone out (quiet hours, a retry): it
                        # is replaced by one from what they knew before it, or by none.
                        replaced.append(prefix)
                        old = t.before["state"]
                    t.state, t.before = new, None
                    updated.append(t)
                    if old is None and not new["on"]:
                        continue  # added and removed again before they were told
                    if old is not None and (
                        _told_matters(old) == _told_matters(new) or not (old["on"] or new["on"])
                    ):
                        continue
                if past or not volunteer.active or volunteer.anonymised_at:
                    continue
                t.before = {"state": old}
                t.messages += 1
                rows += _change_rows(visit, volunteer, old, new, t.messages, now, channels)
    if replaced:
        _replace(replaced)
    Told.objects.bulk_create(created_told, ignore_conflicts=True)
    if updated:
        Told.objects.bulk_update(updated, ["state", "before", "messages", "told_at"])
    return rows


def _unsent_changes(visits: Iterable[int]) -> set[str]:
    """The change messages about these visits of which nothing went out yet, by key prefix.

    Their waiting rows are locked (the tick's transaction): a worker's claim waits for
    the tick and then finds them replaced, so a message is either sent or replaced.
    """
    ids = list(visits)
    waiting = Notification.objects.select_for_update().filter(
        kind=Kind.CHANGE, visit_id__in=ids, status__in=[Status.PENDING, Status.SKIPPED]
    )
    went_out = Notification.objects.filter(kind=Kind.CHANGE, visit_id__in=ids).exclude(
        status__in=[Status.PENDING, Status.SKIPPED]
    )
    return _prefixes(waiting) - _prefixes(went_out)


def _prefixes(rows: QuerySet[Notification]) -> set[str]:
    # "change:<visit>:<volunteer>:<n>:<channel>" → "change:<visit>:<volunteer>:<n>:"
    return {key.rsplit(":", 1)[0] + ":" for key in rows.values_list("key", flat=True)}


def _replace(prefixes: list[str]) -> None:
    q = Q()
    for prefix in prefixes:
        q |= Q(key__startswith=prefix)
    Notification.objects.filter(q, kind=Kind.CHANGE, status=Status.PENDING).update(
        status=Status.SKIPPED,
        lease_until=None,
        error=_("Replaced before it went out: the visit changed again."),
    )


def _change_rows(
    visit: Visit,
    volunteer: Volunteer,
    old: dict | None,
    new: dict,
    number: int,
    now: dt.datetime,
    channels: dict[str, Channel],
) -> list[Notification]:
    pref = preference_of(volunteer)
    context = {
        "volunteer": volunteer,
        "visit": visit,
        "place": visit.stop.community,
        "when": f"{_day(new['date'])} {new['start']}",
        "lines": describe(old, new),
        "state": new,
    }
    rendered = TYPES[Kind.CHANGE].render(context)
    return for_volunteer(
        volunteer,
        pref,
        key=f"change:{visit.pk}:{volunteer.pk}:{number}",
        kind=Kind.CHANGE,
        rendered=rendered,
        now=now,
        addresses=channels_for(volunteer, pref, channels),
        visit=visit,
    )


def _baseline(today: dt.date, *, before: dt.datetime) -> None:
    """Snapshot the upcoming assignments nobody has looked at, unchanged since ``before``."""
    fresh = (
        Assignment.objects.filter(
            visit__date__gte=today, created_at__lte=before, visit__updated_at__lte=before
        )
        .exclude(
            Exists(
                Told.objects.filter(
                    visit_id=OuterRef("visit_id"), volunteer_id=OuterRef("volunteer_id")
                )
            )
        )
        .select_related("visit__stop", "volunteer")
    )
    by_visit: dict[int, list[Assignment]] = defaultdict(list)
    for a in fresh:
        by_visit[a.visit_id].append(a)
    if not by_visit:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for visit_id, name in Assignment.objects.filter(visit_id__in=by_visit).values_list(
        "visit_id", "volunteer__name"
    ):
        names[visit_id].append(name)
    Told.objects.bulk_create(
        [
            Told(
                volunteer=a.volunteer,
                visit=a.visit,
                state=_state(a.visit, names[a.visit_id], a.volunteer.name),
            )
            for assignments in by_visit.values()
            for a in assignments
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


# Coordinators -------------------------------------------------------------------------


def understaffed(now: dt.datetime) -> list[Notification]:
    """Each coordinator: a planned visit within NOTIFY_UNDERSTAFFED_HOURS short of people."""
    horizon = now + dt.timedelta(hours=settings.NOTIFY_UNDERSTAFFED_HOURS)
    today = timezone.localdate(now)
    # Short of the people the visit wants (its own number, its pattern's or its stop's),
    # counting everyone on it who has not declined: the open places' own rule.
    visits = (
        with_places(
            Visit.objects.filter(
                status=VisitStatus.PLANNED,
                date__range=(today, timezone.localdate(horizon)),
            )
        )
        .filter(filled__lt=F("wanted"))
        .select_related("stop__centre")
        .prefetch_related("stop__centre__coordinators")
    )
    wanted = []
    for visit in visits:
        if not now < visit_start(visit) <= horizon:
            continue
        coordinators = [u for u in visit.stop.centre.coordinators.all() if u.is_active and u.email]
        base = f"understaffed:{visit.pk}:{visit.date}T{visit.start_time:%H%M}"
        wanted.append((visit, base, coordinators))
    known = known_keys(f"{base}:{u.pk}:email" for _v, base, users in wanted for u in users)
    rows: list[Notification] = []
    for visit, base, coordinators in wanted:
        fresh = [u for u in coordinators if f"{base}:{u.pk}:email" not in known]
        if not fresh:
            continue
        with translation.override("da"):
            when = _when(visit)
        rendered = TYPES[Kind.UNDERSTAFFED].render(
            {"visit": visit, "when": when, "people": visit.filled, "needed": visit.wanted}
        )
        for user in fresh:
            rows += for_user(
                user,
                key=f"{base}:{user.pk}",
                kind=Kind.UNDERSTAFFED,
                rendered=rendered,
                now=now,
                centre=visit.stop.centre,
                visit=visit,
            )
    return rows


def reports_missing(now: dt.datetime) -> list[Notification]:
    """Each coordinator, the morning after: yesterday's cafés of their centre with no report."""
    local = timezone.localtime(now)
    if local.time() < dt.time.fromisoformat(settings.NOTIFY_REPORT_MISSING_AT):
        return []
    yesterday = local.date() - dt.timedelta(days=1)
    by_centre: dict[int, list[Visit]] = defaultdict(list)
    for visit in (
        Visit.objects.filter(date=yesterday, report__isnull=True)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("stop__centre")
        .order_by("start_time")
    ):
        by_centre[visit.stop.centre_id].append(visit)
    if not by_centre:
        return []
    users = (
        get_user_model()
        .objects.filter(is_active=True, coordinated_centres__in=by_centre)
        .exclude(email="")
        .values_list("pk", "coordinated_centres")
    )
    wanted: dict[int, set[int]] = defaultdict(set)
    for user_id, centre_id in users:
        wanted[centre_id].add(user_id)
    known = known_keys(
        f"report-missing:{yesterday}:{centre_id}:{user_id}:email"
        for centre_id, user_ids in wanted.items()
        for user_id in user_ids
    )
    for centre_id, user_ids in wanted.items():
        wanted[centre_id] = {
            u for u in user_ids if f"report-missing:{yesterday}:{centre_id}:{u}:email" not in known
        }
    user_objs = get_user_model().objects.in_bulk({u for us in wanted.values() for u in us})
    rows: list[Notification] = []
    for centre_id, visits in by_centre.items():
        if not wanted[centre_id]:
            continue  # told already, or nobody to tell: not rendered again
        centre = visits[0].stop.centre
        with translation.override("da"):
            rendered = TYPES[Kind.REPORT_MISSING].render(
                {"centre": centre, "visits": visits, "day": yesterday}
            )
        for user_id in sorted(wanted[centre_id]):
            rows += for_user(
                user_objs[user_id],
                key=f"report-missing:{yesterday}:{centre_id}:{user_id}",
                kind=Kind.REPORT_MISSING,
                rendered=rendered,
                now=now,
                centre=centre,
            )
    return rows
