"""
The shifts pages: "Mine vagter" and the open places on the volunteer's phone, the
answers, takes, offers and hand-overs they post, and the week's places panel the
coordinator's week polls. Views fetch through one helper per object kind (404
outside the user's reach), call shifts.services, and redirect; the phone's queue
posts an answer as JSON to the API door (api/shifts.py), not here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.weeks import week_param
from planning.access import centre_for_planning
from shifts import selectors, services
from shifts.forms import AnswerForm, HandOverForm, TakeForm
from shifts.models import HandOver, Offer, TakeRequest
from visits.models import Visit
from volunteers.choices import DeclineReason
from volunteers.models import Assignment, Volunteer
from volunteers.selectors import volunteer_of


def _me(request: HttpRequest) -> Volunteer:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


def _my_assignment(request: HttpRequest, pk: int) -> tuple[Volunteer, Assignment]:
    volunteer = _me(request)
    return volunteer, get_object_or_404(
        Assignment.objects.select_related("visit__stop"), pk=pk, volunteer=volunteer
    )


def _back(request: HttpRequest, fallback: str = "shifts:mine") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(getattr(error, "message", error)))


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Mine vagter: my coming shifts to answer or hand over, offers and hand-overs for me."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/not_volunteer.html")
    context = {
        "volunteer": volunteer,
        "mine": selectors.my_shifts(volunteer=volunteer),
        "reasons": DeclineReason.choices,
    }
    return render(request, "shifts/mine.html", context)


@login_required
@require_GET
def open_places(request: HttpRequest) -> HttpResponse:
    """The open places of my centre's coming four weeks, with what I may take."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/not_volunteer.html")
    places = selectors.open_places(volunteer=volunteer)
    return render(request, "shifts/open.html", {"volunteer": volunteer, "places": places})


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Jeg kommer / Jeg kan ikke (with an optional reason)."""
    volunteer, assignment = _my_assignment(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return _back(request)
    try:
        services.assignment_answer(
            assignment=assignment, volunteer=volunteer, **form.service_args()
        )
    except (ValidationError, services.PlaceGone) as error:
        _refused(request, error)
        return _back(request)
    if form.cleaned_data["answer"] == "confirmed":
        messages.success(request, _("Thank you, you are down as coming."))
    else:
        messages.success(
            request, _("Thank you for letting us know. Your place is offered to others.")
        )
    return _back(request)


@login_required
@require_POST
def take(request: HttpRequest, visit_pk: int) -> HttpResponse:
    """Take an open place with one tap (or ask for it, where the centre approves)."""
    volunteer = _me(request)
    visit = get_object_or_404(
        Visit.objects.select_related("stop__centre"),
        pk=visit_pk,
        stop__centre=volunteer.home_centre_id,
    )
    form = TakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("shifts:open")
    try:
        result = services.place_take(
            visit=visit, volunteer=volunteer, role=form.cleaned_data["role"]
        )
    except (ValidationError, services.PlaceGone) as error:
        _refused(request, error)
        return redirect("shifts:open")
    if result.request is not None:
        messages.success(request, _("Your request is sent; the coordinator answers it."))
    else:
        messages.success(request, _("The place is yours. Thank you!"))
    return redirect("shifts:mine")


def _my_offer(request: HttpRequest, pk: int) -> tuple[Volunteer, Offer]:
    volunteer = _me(request)
    return volunteer, get_object_or_404(
        Offer.objects.select_related("visit__stop"), pk=pk, volunteer=volunteer
    )


@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer: the page a message links to, and its one-tap "Jeg tager den"."""
    volunteer, the_offer = _my_offer(request, pk)
    if request.method == "POST":
        try:
            services.offer_accept(offer=the_offer, volunteer=volunteer)
        except services.PlaceGone as gone:
            messages.error(request, gone.message)
            return render(request, "shifts/offer.html", {"offer": the_offer}, status=409)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(request, "shifts/offer.html", {"offer": the_offer}, status=400)
        messages.success(request, _("The place is yours. Thank you!"))
        return redirect("shifts:mine")
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(request, "shifts/offer.html", {"offer": the_offer})


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, the_offer = _my_offer(request, pk)
    services.offer_decline(offer=the_offer, volunteer=volunteer)
    messages.success(request, _("Thank you for answering."))
    return redirect("shifts:mine")


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a named colleague of my centre to take over my shift."""
    volunteer, assignment = _my_assignment(request, pk)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("shifts:mine")
    colleague = get_object_or_404(
        Volunteer.objects.active(),
        pk=form.cleaned_data["to_volunteer"],
        home_centre=volunteer.home_centre_id,
    )
    try:
        services.hand_over_start(assignment=assignment, volunteer=volunteer, to_volunteer=colleague)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Asked %(name)s to take over. It stays yours until they accept.")
            % {"name": colleague.name},
        )
    return redirect("shifts:mine")


@login_required
@require_POST
def hand_over_answer(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _me(request)
    the_hand_over = get_object_or_404(HandOver, pk=pk, to_volunteer=volunteer)
    accept = request.POST.get("accept") == "yes"
    try:
        services.hand_over_answer(hand_over=the_hand_over, volunteer=volunteer, accept=accept)
    except (ValidationError, services.PlaceGone) as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The shift is yours now.") if accept else _("Thank you for answering.")
        )
    return redirect("shifts:mine")


@login_required
@require_GET
def week_places(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The week's places panel: every place's state; the week page polls it."""
    centre = centre_for_planning(request.user, centre_id, edit=False)
    week = week_param(request)
    panel = selectors.week_places(centre=centre, monday=week.monday)
    return render(
        request, "shifts/week_places.html", {"centre": centre, "week": week, "panel": panel}
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, centre_id: int, pk: int) -> HttpResponse:
    """The coordinator approves or refuses a request for a place."""
    centre = centre_for_planning(request.user, centre_id, edit=True)
    take_request = get_object_or_404(TakeRequest, pk=pk, visit__stop__centre=centre)
    approve = request.POST.get("approve") == "yes"
    try:
        services.take_request_decide(request=take_request, user=request.user, approve=approve)
    except (ValidationError, services.PlaceGone, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Approved.") if approve else _("Refused."))
    return _back(request, fallback="planning:my_centres")
