from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from drivein.access import Role, role_of


def role(request: HttpRequest) -> dict:
    """The signed-in user's role, for the navigation (computed only when used)."""
    user = getattr(request, "user", None)
    return {
        "role": SimpleLazyObject(lambda: role_of(user) if user is not None else Role.NONE),
        "Role": Role,
    }
