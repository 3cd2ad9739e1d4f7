from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.access import Role, role_of
from stops.models import CentreSite

# The phone app's icon (static/icons/), also what a browser shows in its tab.
FAVICON = "icons/icon-192.png"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: who you are here, and where to go."""
    role = role_of(request.user)
    if role == Role.VOLUNTEER:
        return redirect("today")
    if role in (Role.LEADERSHIP, Role.FUNDER):
        return redirect("reach:dashboard")  # leadership and funders come for the reach
    centres = CentreSite.objects.for_user(request.user).select_related("region")
    return render(
        request,
        "drivein/home.html",
        {"user_role": role, "centres": centres},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico by themselves: the app's icon (a day's cache)."""
    return FileResponse(open(finders.find(FAVICON), "rb"), content_type="image/png")
