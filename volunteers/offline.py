"""
What the phone keeps for use without signal: the service worker's source with the
list of files to keep (and a version that changes when any of them changes), and
the web app manifest that makes Drive-in installable.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# The static files every volunteer page needs; the service worker keeps them.
ASSETS = [
    "css/app.css",
    "css/volunteers.css",
    "js/volunteer.js",
    "js/outbox.js",
    "js/today.js",
    "js/kept.js",
    "js/forms.js",
    "js/copy.js",
    "js/push.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
]
THEME_COLOUR = "#0b5d7a"


def _read(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        return b""
    with open(found, "rb") as handle:
        return handle.read()


def asset_urls() -> list[str]:
    """
    The static files' addresses. With hashed names in production the scripts still
    import each other by their plain names ("./outbox.js"), so both are kept.
    """
    urls = [static(path) for path in ASSETS]
    plain = [static_prefix() + path for path in ASSETS]
    return list(dict.fromkeys(urls + plain))


def static_prefix() -> str:
    """
    STATIC_URL as a path ("/static/"). Not static(""): the manifest storage of
    production has no entry for "" and raises.
    """
    return "/" + settings.STATIC_URL.strip("/") + "/"


def offline_pages() -> list[str]:
    """Pages kept at install: Today, the report form shell, home visit form, profile, offline."""
    return [
        reverse("today"),
        reverse("report_form_shell"),
        reverse("home_visit_new"),
        reverse("profile"),
        reverse("offline"),
    ]


def service_worker_source() -> str:
    """
    static/js/sw.js, preceded by its configuration (files to keep, version). The
    phones ask for it on most page loads; the files only change with a deploy, so
    it is built once per process (each time while DEBUG, so that edits show).
    """
    if settings.DEBUG:
        return _build_service_worker()
    return _built_service_worker()


def _build_service_worker() -> str:
    source = _read("js/sw.js")
    digest = hashlib.sha256(source)
    for path in ASSETS:
        digest.update(_read(path))
    config = {
        "version": digest.hexdigest()[:16],
        "assets": asset_urls(),
        "pages": offline_pages(),
        "offline": reverse("offline"),
        "reportShell": reverse("report_form_shell"),
        "bundleUrl": reverse("today_bundle"),
        "staticPrefix": static_prefix(),
        # A push message (webpush/) shows the app's icon, and a tap opens Today.
        "todayUrl": reverse("today"),
        "icon": static("icons/icon-192.png"),
    }
    # The worker is a module: it imports the queue's code from its static address.
    code = source.decode("utf-8").replace('"drivein:outbox"', json.dumps(static("js/outbox.js")))
    return f"self.DRIVEIN = {json.dumps(config)};\n" + code


_built_service_worker = functools.cache(_build_service_worker)


@functools.lru_cache(maxsize=4)
def etag_of(source: str) -> str:
    """The worker's ETag: a hash of its source (held for the few sources a process serves)."""
    return '"' + hashlib.sha256(source.encode()).hexdigest()[:16] + '"'


def manifest() -> dict:
    """The web app manifest: installable, starts at Today, the whole site in scope."""
    return {
        "name": "Drive-in",
        "short_name": "Drive-in",
        "description": _("Log the café's visits, also without signal."),
        "lang": "da",
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
