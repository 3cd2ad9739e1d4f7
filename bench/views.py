"""The benchmark's floor: the least any page costs on the same server."""

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    """
    A tiny answer through the whole middleware stack, with no database work and no
    template: routed only when ``settings.BENCH`` is on (``make bench``).
    """
    return HttpResponse(b"ok", content_type="text/plain")
