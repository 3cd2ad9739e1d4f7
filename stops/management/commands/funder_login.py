"""
Give a funder's login read access to grants, take it away, or list who reads a grant:

    manage.py funder_login trygfonden --grant 3 [--grant 4] [--create --email a@b.dk]
    manage.py funder_login trygfonden --grant 3 --remove
    manage.py funder_login --list

A funder's login reads only its grants' reach (docs/funders.md). It must be a login
of its own: a login that is also staff, leadership, a coordinator or a volunteer keeps
that role instead, so the command refuses one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.access import Role, role_of
from stops.models import Funder


class Command(BaseCommand):
    help = "Give a funder's login read access to grants (or --remove it, or --list)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--grant", type=int, action="append", default=[], help="a grant's id")
        parser.add_argument("--remove", action="store_true", help="take the grants away")
        parser.add_argument("--create", action="store_true", help="make the login if missing")
        parser.add_argument("--email", default="", help="the new login's e-mail (--create)")
        parser.add_argument(
            "--list", action="store_true", dest="show", help="every grant and its logins"
        )

    def handle(self, *args, username=None, grant, remove, create, email, show, **options) -> None:
        if show:
            for funder in Funder.objects.prefetch_related("readers"):
                names = ", ".join(sorted(u.username for u in funder.readers.all())) or "-"
                self.stdout.write(f"{funder.pk}\t{funder.name}\t{names}")
            return
        if not username or not grant:
            raise CommandError("Name a login and at least one --grant (or use --list).")
        funders = list(Funder.objects.filter(pk__in=grant))
        missing = set(grant) - {f.pk for f in funders}
        if missing:
            raise CommandError(f"No grant with id {', '.join(map(str, sorted(missing)))}.")
        with transaction.atomic():
            user = self._user(username, create=create, email=email)
            for funder in funders:
                (funder.readers.remove if remove else funder.readers.add)(user)
        verb = "no longer reads" if remove else "reads"
        names = ", ".join(f.name for f in funders)
        self.stdout.write(self.style.SUCCESS(f"{username} {verb}: {names}"))

    def _user(self, username: str, *, create: bool, email: str):
        users = get_user_model()._default_manager
        user = users.filter(username=username).first()
        if user is None:
            if not create:
                raise CommandError(f"No login {username!r} (add --create to make it).")
            # No password: the funder sets one with "Forgot password?" from the e-mail.
            user = users.create_user(username=username, email=email, password=None)
            return user
        if user.is_staff or role_of(user) not in (Role.FUNDER, Role.NONE):
            raise CommandError(
                f"{username!r} is {role_of(user).label.lower()}: a funder needs a login of its own."
            )
        return user
