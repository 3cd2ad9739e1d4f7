"""One shape for API errors: ``{"detail": …}`` or ``{"field": [messages]}``, in Danish."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"


def exception_handler(exc: Exception, context: dict):
    """
    DRF's handler, plus: a 404 says "Not found." and no model's name; a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is a 413; a Django ValidationError from a service
    (the rules live there, not in the serializers) is a 400 with its messages, and a throttled
    call says in plain words when to try again (DRF adds Retry-After).
    """
    if isinstance(exc, Http404):
        # Django's message names the model ("Ingen CentreSite matcher …"): say less.
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(
            _("The request body is larger than %(limit)s bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        message = (
            _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait}
            if wait is not None
            else _("Too many requests. Try again later.")
        )
        exc.detail = exceptions.ErrorDetail(message, code="throttled")
    return drf_exception_handler(exc, context)
