"""One demo login per role, password ``demo``: the reason seed_demo refuses to run
with DEBUG off (these logins must never reach production)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission

from core.access import LEADERSHIP_GROUP
from demo.reference import Reference
from stops.models import Funder

DEMO_PASSWORD = "demo"
USERNAMES = ("admin", "ledelse", "koordinator", "koordinator2", "frivillig", "fond")
# The grant the demo funder's login reads (demo.reference makes it).
FUNDER_GRANT = "Vestjysk Sparekassefond (demo)"


def _login(username: str, **flags: object) -> AbstractUser:
    user, created = get_user_model().objects.get_or_create(username=username, defaults=flags)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def create_logins(ref: Reference) -> None:
    """admin, ledelse (leadership), koordinator (Nykøbing Mors), koordinator2 (Skjern),
    frivillig (a volunteer at Nykøbing Mors) and fond (the funder of FUNDER_GRANT);
    existing logins are kept as they are."""
    _login("admin", is_staff=True, is_superuser=True, first_name="Admin")
    leader = _login("ledelse", is_staff=True, first_name="Lone", last_name="Ledelse")
    group, _created = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
    # Leadership reads everything in the admin and changes nothing.
    group.permissions.set(
        Permission.objects.filter(
            codename__startswith="view_",
            content_type__app_label__in=["stops", "visits", "volunteers"],
        )
    )
    leader.groups.add(group)
    by_name = {centre.name: centre for centre in ref.centres}
    coordinator = _login("koordinator", first_name="Kasper", last_name="Koordinator")
    by_name["Nykøbing Mors"].coordinators.add(coordinator)
    coordinator2 = _login("koordinator2", first_name="Karin", last_name="Koordinator")
    by_name["Skjern"].coordinators.add(coordinator2)
    volunteer_user = _login("frivillig")
    volunteer = ref.volunteers_by_centre[by_name["Nykøbing Mors"].pk][2]
    if volunteer.user_id is None:
        volunteer.user = volunteer_user
        volunteer.save(update_fields=["user"])
        # The login carries the volunteer's own name, so header and profile agree.
        first, _space, last = volunteer.name.partition(" ")
        volunteer_user.first_name, volunteer_user.last_name = first, last
        volunteer_user.save(update_fields=["first_name", "last_name"])
    funder = _login("fond", first_name="Vestjysk", last_name="Sparekassefond")
    grant = Funder.objects.filter(name=FUNDER_GRANT).first()
    if grant is not None:
        grant.readers.add(funder)
