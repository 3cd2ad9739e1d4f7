"""The data-quality page and its "checked" button: thin views over reach.selectors.quality."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reach.params import SelectionError, reader_scope, resolve_selection
from reach.quality_services import quality_check_mark
from reach.selectors.quality import quality_rows
from reach.selectors.timeliness import timeliness
from visits.models import Visit


@login_required
@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    """The period's cafés to look at (values outside range, 0 people, late, missing …)."""
    reader_scope(request.user)  # coordinators and leadership; a funder or volunteer: 404
    try:
        selection = resolve_selection(request.user, request.GET)
    except SelectionError as error:
        raise BadRequest(str(error)) from error
    context = {
        "sel": selection,
        "rows": quality_rows(selection.query),
        "timeliness": timeliness(selection.query),
    }
    return render(request, "reach/quality.html", context)


@login_required
@require_POST
def quality_check(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Mark a café as checked; back to the page it was marked on."""
    reader_scope(request.user)  # 404 for anyone who reads no reach figures (volunteers)
    visits = Visit.objects.for_user(request.user).select_related("stop")  # their centres
    visit = get_object_or_404(visits, pk=visit_id)
    _check, created = quality_check_mark(visit=visit, user=request.user)
    if created:
        messages.success(
            request, _("%(stop)s is marked as checked.") % {"stop": visit.stop.community}
        )
    else:
        messages.info(request, _("%(stop)s was already checked.") % {"stop": visit.stop.community})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("reach:quality")
    return HttpResponseRedirect(back)
