from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications.choices import Status
from notifications.forms import PreferenceForm
from notifications.models import Notification, Preference
from stops.models import CentreSite
from volunteers.selectors import volunteer_of

FAILED_SHOWN = 200


@login_required
@require_POST
def preferences_save(request: HttpRequest) -> HttpResponse:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    pref = Preference.objects.filter(volunteer=volunteer).first()
    form = PreferenceForm(request.POST, instance=pref or Preference.defaults_for(volunteer))
    if not form.is_valid():
        return render(
            request,
            "notifications/preferences_invalid.html",
            {"notification_form": form},
            status=400,
        )
    form.save()
    messages.success(request, _("Your choices for messages are saved."))
    return redirect(reverse("profile") + "#notifications")


@login_required
@require_GET
def failed_list(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The centre's messages that could not be sent, newest first, for the coordinator."""
    centre = get_object_or_404(CentreSite.objects.editable_by(request.user), pk=centre_id)
    failed = (
        Notification.objects.filter(centre=centre, status=Status.FAILED)
        .select_related("volunteer", "user", "visit__stop")
        .order_by("-created_at")[:FAILED_SHOWN]
    )
    return render(request, "notifications/failed.html", {"centre": centre, "failed": failed})
