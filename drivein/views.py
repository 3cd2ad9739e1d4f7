from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from drivein.access import Role, role_of
from stops.models import CentreSite


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: who you are here, and where to go."""
    if role_of(request.user) == Role.LEADERSHIP:
        return redirect("reach:dashboard")  # leadership comes for the weekly reach
    centres = CentreSite.objects.for_user(request.user).select_related("region")
    return render(
        request,
        "drivein/home.html",
        {"user_role": role_of(request.user), "centres": centres},
    )
