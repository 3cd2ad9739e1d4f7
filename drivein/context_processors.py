from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.access import (
    EVERY_CENTRE,
    PLANNERS,
    REACH_READERS,
    READERS,
    REPORTERS,
    Role,
    role_of,
)


def role(request: HttpRequest) -> dict:
    """
    The signed-in user's role, for the navigation (computed only when used), and
    the role sets of core.access: ``{% if role in PLANNERS %}``.
    """
    user = getattr(request, "user", None)
    return {
        "role": SimpleLazyObject(lambda: role_of(user) if user is not None else Role.NONE),
        "Role": Role,
        "EVERY_CENTRE": EVERY_CENTRE,
        "PLANNERS": PLANNERS,
        "READERS": READERS,
        "REACH_READERS": REACH_READERS,
        "REPORTERS": REPORTERS,
    }
