"""JSON bodies, refused when larger than DATA_UPLOAD_MAX_MEMORY_SIZE or nested too deep."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError


class PayloadTooLarge(APIException):
    status_code = 413
    default_code = "payload_too_large"


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
    )


class JSONParser(parsers.JSONParser):
    """
    DRF reads a JSON body as a stream, past Django's own DATA_UPLOAD_MAX_MEMORY_SIZE
    check; this parser applies the same limit (a phone's report is a few hundred
    bytes), and answers 400 for JSON nested so deep that Python cannot read it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            request = (parser_context or {}).get("request")
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
            except ValueError:
                length = 0
            if length > limit:
                raise _too_large(limit)
            # The length header may be missing or wrong: read no more than the limit.
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise _too_large(limit)
            stream = io.BytesIO(body)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
