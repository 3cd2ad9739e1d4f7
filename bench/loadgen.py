"""
The benchmark's load generator: a separate process, standard library only.

Reads a job (JSON) on standard input and writes the results (JSON) on standard
output. Each phase runs ``concurrency`` clients in threads, each with its own
keep-alive HTTP/1.1 connection to the server on loopback. A client logs in once
before the clock starts: with the login form (a session cookie, as a browser
does) or with the token endpoint (``Authorization: Token …``, as the phone app
does). Every phase is bounded: it starts no request after ``max_requests`` or
``max_seconds``, and the requests in flight then finish.

    {"host": "127.0.0.1", "port": 8081, "phases": [{
        "name": "week", "concurrency": 20, "max_requests": 400, "max_seconds": 10,
        "warmup": 1, "cycle": true, "record": false,
        "auth": {"kind": "session" | "token", "username": "…", "password": "…"} | [...] | null,
        "requests": [{"method": "GET", "path": "/…", "body": {…} | null}, …]}]}

A phase may name other phases to run ``alongside`` it (the hostile-input phase:
clients sending huge notes while the pages are loaded): they start first, the
phase's clock starts once their clients are under way, and they stop when the
phase's own clients are done. Their results come back under ``alongside``.

Phase result: ``latencies_ms`` (completed requests), ``statuses`` (count per HTTP
status; 0 is a request without an answer), ``wall_seconds`` (first start to last
answer), ``errors`` (a few samples), and with ``record`` the ``answers`` in the
order of ``requests``: [status, submission_id of the report in the body].
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 120
MAX_ERROR_SAMPLES = 5


class Client:
    """One simulated user: a keep-alive connection, cookies or a token."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, body bytes, response headers); reconnects once if the server closed."""
        sent = dict(self.headers)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed between requests: reconnect.
                self.conn.close()
                self.conn = self._connect()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _eq, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = self._connect()
        return response.status, data, response

    def login_session(self, username: str, password: str) -> None:
        """Post the login form once, as a browser does (CSRF cookie and field)."""
        status, page, _r = self.request("GET", "/accounts/login/")
        match = CSRF_INPUT.search(page.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"login page answered {status}")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match[1]}
        )
        status, _body, _r = self.request(
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed (HTTP {status})")

    def login_token(self, username: str, password: str) -> None:
        """Trade the password for the API token, as the phone app does."""
        body = json.dumps({"username": username, "password": password}).encode()
        status, data, _r = self.request(
            "POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"}
        )
        if status != 200:
            raise RuntimeError(f"token for {username} refused (HTTP {status})")
        self.headers["Authorization"] = f"Token {json.loads(data)['token']}"


def _submission_in(data: bytes) -> str | None:
    """The submission id of the report in a report answer (201/200) or a conflict (409)."""
    try:
        body = json.loads(data)
    except ValueError:
        return None
    if isinstance(body, dict):
        report = body.get("report", body)
        if isinstance(report, dict):
            return report.get("submission_id")
    return None


def run_phase(
    host: str,
    port: int,
    phase: dict,
    *,
    stop: threading.Event | None = None,
    under_way: threading.Event | None = None,
) -> dict:
    """
    Run one phase (see the module docstring) and return its result. ``stop`` ends it
    early (no request is started after it is set); ``under_way`` is set when its
    clock starts.
    """
    background = _start_alongside(host, port, phase.get("alongside", []))
    requests = phase["requests"]
    concurrency = phase["concurrency"]
    cycle = phase.get("cycle", True)
    limit = phase["max_requests"] if cycle else min(phase["max_requests"], len(requests))
    record = phase.get("record", False)
    auth = phase.get("auth")
    lock = threading.Lock()
    state = {"next": 0, "deadline": None}
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    answers: list[list] = [[0, None] for _ in range(limit)] if record else []
    finished: list[float] = []

    def start_clock() -> None:
        # Run once, when every client has logged in and warmed up, before any is released.
        state["started"] = time.perf_counter()
        state["deadline"] = state["started"] + phase["max_seconds"]
        if under_way is not None:
            under_way.set()

    ready = threading.Barrier(concurrency + 1, action=start_clock)

    def take() -> int | None:
        with lock:
            if state["next"] >= limit or time.perf_counter() >= state["deadline"]:
                return None
            if stop is not None and stop.is_set():
                return None
            index = state["next"]
            state["next"] += 1
            return index

    def note_error(message: str) -> None:
        with lock:
            if len(errors) < MAX_ERROR_SAMPLES:
                errors.append(message)

    def worker(number: int) -> None:
        client = None
        try:
            client = Client(host, port)
            # One login per client; a list of logins is shared out among the clients.
            login = auth[number % len(auth)] if isinstance(auth, list) else auth
            if login and login["kind"] == "session":
                client.login_session(login["username"], login["password"])
            elif login and login["kind"] == "token":
                client.login_token(login["username"], login["password"])
            for i in range(phase.get("warmup", 0) if cycle else 0):
                _send(client, requests[(number + i) % len(requests)])
        except Exception as error:  # reported, and the phase goes on
            note_error(f"client {number} could not start: {error}")
            client = None
        ready.wait()
        while client is not None:
            index = take()
            if index is None:
                break
            item = requests[index % len(requests)]
            started = time.perf_counter()
            try:
                status, data, _r = _send(client, item)
            except Exception as error:  # a request without an answer
                status, data = 0, b""
                note_error(f"{item['path']}: {error!r}")
                client.conn.close()
                client.conn = client._connect()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                statuses[status] += 1
                if status:
                    latencies.append(elapsed)
                if record:
                    answers[index] = [status, _submission_in(data)]
            if status >= 500 or status == 0 or (status >= 400 and not record):
                note_error(f"{item['method']} {item['path']}: HTTP {status} {data[:200]!r}")
        with lock:
            finished.append(time.perf_counter())
        if client is not None:
            client.conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    wall = (max(finished) if finished else time.perf_counter()) - state["started"]
    alongside = _stop_alongside(background)
    # A recorded phase must send everything: what the time limit left out is unanswered.
    unsent = limit - state["next"] if record else 0
    if unsent:
        statuses[0] += unsent
        note_error(f"{unsent} requests were never sent (time limit)")
    return {
        "name": phase["name"],
        "concurrency": concurrency,
        "latencies_ms": [round(x, 3) for x in latencies],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "wall_seconds": round(wall, 3),
        "errors": errors,
        "answers": answers,
        **({"alongside": alongside} if alongside else {}),
    }


def _start_alongside(host: str, port: int, phases: list[dict]) -> list:
    """Start each phase to run alongside another, and wait until each is under way."""
    started = []
    for phase in phases:
        stop, under_way, result = threading.Event(), threading.Event(), {}

        def run(phase=phase, stop=stop, under_way=under_way, result=result) -> None:
            result.update(run_phase(host, port, phase, stop=stop, under_way=under_way))
            under_way.set()  # also when it could not start at all

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        under_way.wait(timeout=TIMEOUT)
        started.append((thread, stop, result))
    return started


def _stop_alongside(started: list) -> list[dict]:
    for _thread, stop, _result in started:
        stop.set()
    for thread, _stop, _result in started:
        thread.join()
    return [result for _thread, _stop, result in started]


def _send(client: Client, item: dict):
    body = item.get("body")
    if body is None:
        return client.request(item["method"], item["path"])
    return client.request(
        item["method"],
        item["path"],
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )


def main() -> None:
    job = json.load(sys.stdin)
    results = [run_phase(job["host"], job["port"], phase) for phase in job["phases"]]
    json.dump({"phases": results}, sys.stdout)


if __name__ == "__main__":
    main()
