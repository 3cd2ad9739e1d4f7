"""
The funder report as an A4 PDF (WeasyPrint). Everything it draws is in the HTML: the
chart and the map are inline SVG and the stylesheet is read from static/css. The URL
fetcher refuses anything but the project's own static files, so a report never
reaches another host, whatever a name or a note in it says.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from funders.report import FunderReport

STATIC = (Path(settings.BASE_DIR) / "static").resolve()
STYLESHEET = STATIC / "css" / "funder-report.css"


# WeasyPrint takes about a second to import: it is loaded when the first PDF is made,
# not in every web process and command that reads the URLs (funders.views imports this).
@functools.cache
def _local_only_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves files under static/ and refuses every other URL (http, https, data, file …)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=["file"], allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or parts.netloc or not path.is_relative_to(STATIC):
                self.refused.append(url)
                raise ValueError(f"Funder reports fetch nothing from outside: {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


def local_only_fetcher() -> Any:
    """A URL fetcher that serves files under static/ and refuses (and notes) every other."""
    return _local_only_fetcher_class()()


def render_html(report: FunderReport) -> str:
    """The report's HTML, in Danish (the funders' language), whatever the reader's."""
    with translation.override("da"):
        return render_to_string("funders/report.html", {"report": report, "sel": report.selection})


def render_pdf(report: FunderReport, *, fetcher: Any = None) -> bytes:
    """The report as PDF bytes."""
    return html_to_pdf(render_html(report), fetcher=fetcher)


def html_to_pdf(html: str, *, fetcher: Any = None) -> bytes:
    from weasyprint import CSS, HTML  # see _local_only_fetcher_class

    fetcher = fetcher or local_only_fetcher()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


def filename(report: FunderReport) -> str:
    """drivein-funder-3-2026-Q1.pdf"""
    return f"drivein-funder-{report.funder.pk}-{report.selection.period.key}.pdf"
