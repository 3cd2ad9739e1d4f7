"""JSON bodies: a body that is no JSON, or nested too deep for Python, is a 400 in
Danish (DRF's own message is English and quotes the parser's)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.jsonbody import NestedTooDeeply, nesting_guard


class JSONParser(parsers.JSONParser):
    """
    DRF's JSON parser. Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before
    this reads them (api.exceptions answers 413).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            with nesting_guard():
                return super().parse(stream, media_type, parser_context)
        except NestedTooDeeply as error:
            raise ParseError(str(error)) from None
        except ParseError:
            raise ParseError(_("The request body is not valid JSON.")) from None
