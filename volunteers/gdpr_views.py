"""A volunteer's own data, as a JSON download (the GDPR's right of access)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from volunteers.gdpr import volunteer_data
from volunteers.models import Volunteer


@login_required
@require_GET
def my_data(request: HttpRequest) -> JsonResponse:
    """Everything held about the signed-in volunteer; 404 for a login without one."""
    volunteer = (
        Volunteer.objects.filter(user=request.user).select_related("home_centre", "user").first()
    )
    if volunteer is None:
        raise Http404
    response = JsonResponse(
        volunteer_data(volunteer=volunteer), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="drive-in-mine-data.json"'
    response["Cache-Control"] = "no-store"
    return response
