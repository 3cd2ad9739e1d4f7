"""
Log in with a phone number: volunteers remember their phone number better than a
username. A standard ``authenticate(request, username, password)`` backend, so a
login throttle (django-axes) can wrap it like Django's own.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace
from django.http import HttpRequest

from volunteers.models import Volunteer

# Characters people put in a phone number that carry no digits.
_SEPARATORS = (" ", "-", ".", "(", ")", "/")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-./()]{8,20}$")


def phone_variants(value: str) -> list[str] | None:
    """
    The ways a Danish number may be stored once separators are removed:
    "+45 12 34 56 78", "0045 12345678" and "12 34 56 78" are the same phone.
    None when ``value`` does not look like a phone number at all.
    """
    value = value.strip()
    if not _PHONE_LIKE.match(value):
        return None
    compact = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    digits = compact.lstrip("+")
    if compact.startswith("+45") or (compact.startswith("0045") and len(digits) == 12):
        digits = digits[-8:]
    elif len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    if len(digits) == 8:
        return [digits, f"+45{digits}", f"0045{digits}", f"45{digits}"]
    return [compact]


def login_key(username: str) -> str:
    """
    One key per account, for the lockout (django-axes counts failures per
    username): a login's username and its phone number, in any spelling, are one
    account, so they share one count. The key is the username of the account the
    text logs in as: the username itself, or the one login whose volunteer has
    that phone number. A number no login (or several, a household's) has counts
    as its 8 digits; any other text as typed.
    """
    user_model = get_user_model()
    if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
        return username
    variants = phone_variants(username)
    if variants is None:
        return username
    owners = list(
        user_model._default_manager.filter(pk__in=_phone_user_ids(variants)).values_list(
            user_model.USERNAME_FIELD, flat=True
        )[:2]
    )
    return owners[0] if len(owners) == 1 else variants[0]


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """
    The username django-axes counts failures for (AXES_USERNAME_CALLABLE): one per
    account. A login is typed as its username or its volunteer's phone number, and
    the phone login accepts "12345678", "12 34 56 78" and "+45 12345678" alike; all
    must count as one, or alternating them would multiply the guesses.
    """
    if credentials:
        username = credentials.get("username")
    elif request is not None:
        username = getattr(request, "data", request.POST).get("username")
    else:
        username = None
    return login_key(username) if isinstance(username, str) else username


def _phone_user_ids(variants: list[str]) -> QuerySet:
    """The logins of the active volunteers whose phone is one of ``variants``."""
    return (
        Volunteer.objects.active()
        .filter(user__isnull=False)
        .annotate(compact_phone=_compact("phone"))
        .filter(compact_phone__in=variants)
        .values("user_id")
    )


def _compact(field: str) -> Replace:
    expression: str | Replace = field
    for separator in _SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    assert isinstance(expression, Replace)  # _SEPARATORS is not empty
    return expression


class PhoneNumberBackend(ModelBackend):
    """Finds the user of the active volunteer with this phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        variants = phone_variants(str(username))
        if variants is None:
            return None
        user_ids = _phone_user_ids(variants)
        # A household may share a phone number: the password tells them apart.
        candidates = list(get_user_model()._default_manager.filter(pk__in=user_ids)[:5])
        if not candidates:
            # Spend the same time as a real check, so timing does not reveal numbers.
            get_user_model()().set_password(password)
            return None
        matches = [
            user
            for user in candidates
            if user.check_password(password) and self.user_can_authenticate(user)
        ]
        return matches[0] if len(matches) == 1 else None
