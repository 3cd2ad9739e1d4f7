"""Swagger UI under our Content Security Policy: no inline script, no inline style."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    """
    The split view serves Swagger UI's start-up script from its own URL
    (``?script=``), so the page needs no inline script; our template replaces the
    inline ``<style>`` of drf-spectacular's with a stylesheet.
    """

    template_name = "api/swagger_ui.html"
