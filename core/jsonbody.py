"""
JSON request bodies, read by every door that takes them (the API's parser, the
phone's report, home-visit and check-in JSON): a body nested deeper than Python's
parser can follow is bad input, answered 400, never a server error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _


class NestedTooDeeply(ValueError):
    """The body's arrays or objects are nested too deeply to read."""


@contextmanager
def nesting_guard() -> Iterator[None]:
    """Turns the parser's RecursionError (about a thousand levels of [ or {, which a
    body under the upload cap holds easily) into NestedTooDeeply, with a Danish message."""
    try:
        yield
    except RecursionError:
        raise NestedTooDeeply(_("The JSON is nested too deeply.")) from None


def loads(text: str):
    """json.loads under the guard."""
    with nesting_guard():
        return json.loads(text)
