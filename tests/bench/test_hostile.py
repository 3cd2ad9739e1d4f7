"""
The benchmark's hostile-input phase: the load generator runs attackers alongside a
page's clients (against a real local HTTP server), and bench.hostile reads the
p95 alone and under attack and checks the answers.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bench import hostile
from bench.loadgen import run_phase


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list = []

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        Handler.seen.append(("GET", time.monotonic(), 0))
        self._answer(200)

    def do_PUT(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        Handler.seen.append(("PUT", time.monotonic(), len(body["note"])))
        self._answer(400)

    do_POST = do_PUT

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_attackers_run_alongside_the_page_and_stop_with_it(server):
    notes = hostile.requests(visit_id=1, centre_id=2, date="2026-11-30")
    page = {
        "name": "page",
        "concurrency": 2,
        "max_requests": 60,
        "max_seconds": 1.0,
        "warmup": 0,
        "auth": None,
        "requests": [{"method": "GET", "path": "/page/"}],
        "alongside": [
            {
                "name": "attackers",
                "concurrency": hostile.CLIENTS,
                "max_requests": 1_000_000,
                "max_seconds": 60,
                "warmup": 0,
                "auth": None,
                "requests": notes,
            }
        ],
    }
    started = time.monotonic()
    result = run_phase("127.0.0.1", server.server_address[1], page)
    assert time.monotonic() - started < 10  # the attackers stopped with the page
    attack = result["alongside"][0]
    assert set(result["statuses"]) == {"200"}
    assert set(attack["statuses"]) == {"400"} and attack["statuses"]["400"] > 0
    gets = [t for kind, t, _n in Handler.seen if kind == "GET"]
    puts = [(t, n) for kind, t, n in Handler.seen if kind == "PUT"]
    # Every note is the full 250,000 characters, and notes were sent while the page was.
    assert {n for _t, n in puts} == {hostile.NOTE_CHARACTERS}
    assert any(min(gets) <= t <= max(gets) for t, _n in puts)


def _phase(latencies, statuses, **extra):
    return {"latencies_ms": latencies, "statuses": statuses, "wall_seconds": 1.0, **extra}


def _found(alone, attacked, attackers_statuses=None):
    return {
        "hostile:week:alone": _phase(alone, {"200": len(alone)}),
        "hostile:week:attacked": _phase(
            attacked,
            {"200": len(attacked)},
            alongside=[_phase([5.0] * 10, attackers_statuses or {"400": 10})],
        ),
    }


PAGE = SimpleNamespace(key="week", label="Week schedule")


def test_a_page_whose_p95_stays_within_twice_passes():
    out = hostile.results(_found([10.0] * 20, [15.0] * 20), [PAGE])
    assert out["ok"], out["problems"]
    assert out["pages"]["week"]["growth"] == 1.5
    assert "10 → 15 ms" in hostile.summary_line(out)
    assert "**check passed**" in hostile.summary_line(out)


def test_a_page_slowed_more_than_twice_or_a_note_not_refused_fails():
    slowed = hostile.results(_found([10.0] * 20, [30.0] * 20), [PAGE])
    assert not slowed["ok"] and "under attack" in slowed["problems"][0]
    served = hostile.results(_found([10.0] * 20, [11.0] * 20, {"400": 8, "500": 2}), [PAGE])
    assert not served["ok"] and "all 400 expected" in served["problems"][0]


def test_the_note_is_over_every_limit_and_ends_in_a_phone_number():
    note = hostile.note()
    assert len(note) == hostile.NOTE_CHARACTERS and note.endswith("12345678")
    body = json.dumps(hostile.requests(visit_id=1, centre_id=2, date="2026-11-30")[0]["body"])
    assert 250_000 < len(body) < 512 * 1024  # under the upload cap: the note rule decides
