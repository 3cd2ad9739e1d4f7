"""The production smoke test (tools/smoke.py) in make test: no 5xx anywhere a user goes."""

import json

from tools import smoke


def test_every_page_the_roles_open_the_api_static_files_and_the_service_worker_answer(
    production_servers,
):
    server = production_servers[0]
    result = smoke.check_site(server.port)
    assert result.ok, smoke.summary(result)
    # It went everywhere it should: each role's pages, the API, the files kept offline.
    for who in ("anonymous", "volunteer", "coordinator", "leader"):
        assert result.checked[f"pages ({who})"] >= 5, smoke.summary(result)
    assert result.checked["api"] >= 9, smoke.summary(result)
    assert result.checked["static"] >= 20, smoke.summary(result)
    assert "Traceback" not in server.output()


def test_the_service_worker_keeps_the_hashed_files_that_production_serves(production_servers):
    port = production_servers[0].port
    phone = smoke.client(port)
    phone.login_session("frivillig", smoke.PASSWORD)
    status, body, _content_type, _path = smoke.get(phone, "/sw.js")
    assert status == 200
    config = json.loads(body.decode().split("\n", 1)[0].removeprefix("self.DRIVEIN = ")[:-1])
    assert config["staticPrefix"] == "/static/"
    hashed = [url for url in config["assets"] if "/static/js/outbox." in url]
    assert len(hashed) == 2  # the manifest's hashed name and the plain one the scripts import
    for url in config["assets"]:
        assert smoke.get(phone, url)[0] == 200, url


def test_plain_http_is_sent_to_https(production_servers):
    status, _body, response = smoke.Client("127.0.0.1", production_servers[0].port).request(
        "GET", "/today/"
    )
    assert status == 301
    assert response.getheader("Location").startswith("https://127.0.0.1")
