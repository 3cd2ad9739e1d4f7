"""What makes the app installable and usable without signal: worker, manifest, icons."""

import json
import struct

from django.contrib.staticfiles import finders


def test_the_service_worker_is_served_at_the_root_with_its_files(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    first_line = response.content.decode().splitlines()[0]
    config = json.loads(first_line.removeprefix("self.DRIVEIN = ").rstrip(";"))
    assert "/static/js/outbox.js" in config["assets"]
    assert "/static/css/volunteers.css" in config["assets"]
    assert "/today/" in config["pages"]
    assert "/home-visits/new/" in config["pages"]
    assert len(config["version"]) == 16


def test_the_manifest_makes_the_app_installable(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/today/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes


def test_the_icons_are_pngs_of_the_sizes_the_manifest_says():
    for size in (192, 512):
        with open(finders.find(f"icons/icon-{size}.png"), "rb") as handle:
            header = handle.read(24)
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (size, size)


def test_the_offline_page_needs_no_login(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "Ingen forbindelse" in response.text


def test_volunteer_pages_link_the_manifest_and_load_no_inline_script(client, volunteer_user):
    client.force_login(volunteer_user)
    html = client.get("/today/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'style="' not in html
    # Only modules from static/ and JSON data blocks, which CSP does not run.
    for tag in __import__("re").findall(r"<script[^>]*>", html):
        assert 'src="/static/js/' in tag or 'type="application/json"' in tag


def test_the_service_worker_is_built_once_per_process(client, settings, monkeypatch):
    """Phones ask for /sw.js on most page loads: its files are read once, not each time."""
    from volunteers import offline

    settings.DEBUG = False
    offline._built_service_worker.cache_clear()
    reads = []
    real_read = offline._read
    monkeypatch.setattr(offline, "_read", lambda path: reads.append(path) or real_read(path))
    first = client.get("/sw.js").content
    after_one = len(reads)
    assert client.get("/sw.js").content == first
    assert after_one > 0 and len(reads) == after_one


def test_the_service_worker_is_not_sent_again_when_it_did_not_change(client, db):
    first = client.get("/sw.js")
    assert first["ETag"]
    again = client.get("/sw.js", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Cache-Control"] == "no-cache"


def test_pages_are_compressed_for_the_phone(client, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get("/today/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_the_api_answers_uncompressed_as_before(client, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get("/api/v1/centres/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
