"""
Logs and errors for operators (docs/operations.md, "Logs and errors").

Every request has an id: the proxy's X-Request-ID when it sends a sane one, else a
new one; it is returned in the response's X-Request-ID header and stamped on every
log line written while the request runs. LOG_FORMAT=json writes one JSON object per
line. With SENTRY_DSN, errors go to Sentry with volunteers' contact data taken out
before anything leaves the server (``scrub``).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept when it looks like one (uuids, hex, nginx's $request_id);
# anything else (too long, spaces, control characters) is replaced, not logged.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)
access_log = logging.getLogger("drivein.requests")


def request_id() -> str:
    request = current_request.get()
    return getattr(request, "request_id", "-") if request is not None else "-"


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every later log line of the request has the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        rid = offered if SANE_ID.fullmatch(offered) else uuid.uuid4().hex
        # An attribute of our own on Django's request, read back by request_id().
        vars(request)["request_id"] = rid
        token = current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status_code": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            current_request.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` ("-" outside a request) for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer after the middleware has returned; that line
        # carries the request itself.
        carried = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = carried or request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and more."""

    EXTRA = ("status_code", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id()),
        }
        for name in self.EXTRA:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# Sentry -----------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Danish numbers (8 digits, maybe +45/0045, maybe spaced in pairs or fours) and other
# international ones: runs of 8 or more digits with spaces, dots or dashes between.
PHONE = re.compile(r"(?<![\w])(\+|00)?\d(?:[ .-]?\d){7,14}(?![\w])")
FILTERED = "[Filtered]"
# Parts of an event that are Sentry's own bookkeeping (times, ids, the SDK), not text.
NOT_TEXT = {"timestamp", "start_timestamp", "event_id", "sdk", "modules", "contexts", "release"}
SECRET_HEADERS = {"cookie", "authorization", "x-csrftoken", "x-forwarded-for", "x-real-ip"}


def init_sentry(dsn: str, *, environment: str = "production") -> None:
    """Errors to Sentry; no personal data is sent (see ``scrub``), no tracing."""
    # Only with SENTRY_DSN set: the SDK is large, and most installs send no errors.
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # Collected by the SDK: no user, cookies, bodies, query strings, SQL parameters or
        # frame variables (they hold volunteers and forms); ``scrub`` checks it all again.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        traces_sample_rate=0,
        # scrub reads the event as the plain dict it is, not as the SDK's TypedDict.
        before_send=cast(Any, scrub),
        before_send_transaction=lambda event, hint: None,
    )


def _known_personal(request: HttpRequest | None) -> list[str]:
    """The signed-in user's names and addresses, as far as the request loaded them."""
    user = getattr(request, "_cached_user", None) if request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found = [user.get_username(), user.email, user.first_name, user.last_name]
    found.append(user.get_full_name())
    volunteer = user._state.fields_cache.get("volunteer")  # never a query from here
    if volunteer is not None:
        found += [volunteer.name, volunteer.phone, volunteer.email, *volunteer.name.split()]
    return sorted({s for s in found if s and len(s) >= 3}, key=len, reverse=True)


def _scrub_text(text: str, personal: list[str]) -> str:
    for value in personal:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", FILTERED, text, flags=re.IGNORECASE)
    return PHONE.sub(FILTERED, EMAIL.sub(FILTERED, text))


def _scrub(value: Any, personal: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, personal)
    if isinstance(value, dict):
        return {
            key: item if key in NOT_TEXT else _scrub(item, personal) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, personal) for item in value]
    return value


def scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """
    Sentry's before_send: request bodies, cookies and secret headers go; the user is
    an id only; names, phone numbers and e-mail addresses in any text are filtered.
    """
    request = event.get("request") or {}
    for key in ("data", "cookies", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            headers[name] = FILTERED
    if "user" in event:
        event["user"] = {"id": event["user"]["id"]} if event["user"].get("id") else {}
    event.pop("extra", None)
    return _scrub(event, _known_personal(current_request.get()))
