"""JSON bodies: a body nested too deep for Python is a 400, not a server error."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from drivein.jsonbody import NestedTooDeeply, nesting_guard


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
