"""The profile's two doors for push: this phone says yes (subscribe) or stops."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volunteers.payloads import BadJson, detail, json_body, login_required_or_401
from volunteers.selectors import volunteer_of
from webpush.keys import push_enabled
from webpush.services import subscription_delete, subscription_save


def _subscription_body(request: HttpRequest) -> dict:
    """The browser's PushSubscription.toJSON(); BadJson for anything else."""
    payload = json_body(request)
    if not isinstance(payload, dict):
        raise BadJson(_("The subscription is not valid."))
    return payload


@login_required_or_401
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Keep this phone's subscription: 201 when new, 200 when renewed."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return detail(_("Messages on the phone are for volunteers."), 404)
    if not push_enabled():
        return detail(_("Messages on the phone are not switched on for Drive-in."), 404)
    try:
        payload = _subscription_body(request)
        keys = payload.get("keys") if isinstance(payload.get("keys"), dict) else {}
        subscription, created = subscription_save(
            volunteer=volunteer,
            endpoint=payload.get("endpoint"),
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except BadJson as error:
        return detail(str(error), 400)
    except ValidationError as error:
        return detail(error.messages[0], 400)
    return JsonResponse(
        {"subscribed": True, "browser": subscription.user_agent}, status=201 if created else 200
    )


@login_required_or_401
@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Stop messages to this phone (the same answer when it had none: stopping twice is fine)."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return detail(_("Messages on the phone are for volunteers."), 404)
    try:
        payload = _subscription_body(request)
    except BadJson as error:
        return detail(str(error), 400)
    subscription_delete(volunteer=volunteer, endpoint=payload.get("endpoint"))
    return JsonResponse({"subscribed": False})
