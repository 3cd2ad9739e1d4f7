"""
The production smoke test: Drive-in started as it runs in production, then every
page a volunteer, a coordinator and a leader open, the API, the web manifest,
the service worker and every static file those reference, asked for over HTTP.

    make smoke                       # PostgreSQL, SMOKE_DATABASE_URL (drivein_smoke)
    .venv/bin/python tools/smoke.py --database-url postgres://…/drivein_smoke

What "production" means here: ``DEBUG=false``, a fresh ``SECRET_KEY``,
``collectstatic`` into a temporary folder (``STATIC_ROOT``), the hashed manifest
storage served by WhiteNoise, gunicorn with ``deploy/gunicorn.conf.py``, HTTPS
redirects on (the requests say ``X-Forwarded-Proto: https``, as the reverse proxy
does), no console mail. The database is migrated and holds the demo data
(``seed_demo``, which runs only with DEBUG on, like the bench). A PostgreSQL
database is dropped and made anew, so its name must contain "smoke".

``tests/deploy`` runs the same code in ``make test`` (SQLite and PostgreSQL), so CI
runs it twice. The exit status is 1 when anything answered 5xx, did not answer, or
a static file, the manifest or the service worker's files are missing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import Client  # noqa: E402 - the benchmark's HTTP client
from webpush.keys import generate as vapid_pair  # noqa: E402 - production has its own pair

PASSWORD = "demo"
# The demo logins (seed_demo) of each role, and the pages each opens by hand.
ROLES = {
    "volunteer": "frivillig",
    "coordinator": "koordinator",
    "leader": "ledelse",
    "funder": "fond",
}
KNOWN = [
    "/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/offline/",
    "/sw.js",
    "/manifest.webmanifest",
    "/api/schema/",
    "/api/docs/",
    "/favicon.ico",
    # An offer's one-tap link comes by mail, not from a page: a forged one renders the
    # refusal (404) under the production settings and static files.
    "/shifts/offers/take/1:forged/",
    # A share link comes by mail too: an altered one renders its refusal (404).
    "/shared/altered:link/",
]
ROLE_KNOWN = {
    "volunteer": [
        "/today/",
        "/home-visits/new/",
        "/profile/",
        "/profile/absences/",
        "/profile/data.json",
        "/shifts/",
        "/shifts/open/",
    ],
    "coordinator": ["/planning/", "/volunteers/", "/reach/"],
    # The demo's first grant: its dashboard links the funder report's PDF.
    "leader": ["/reach/", "/reach/export.csv", "/reach/export.xlsx", "/reach/?funder=1"],
    "funder": ["/reach/", "/reach/export.csv", "/reach/export.xlsx"],
}
# Pages per role: at most this many, and at most PER_SHAPE of one shape (the path with
# its numbers and query taken out): every kind of page, not every visit of the year.
MAX_PAGES, PER_SHAPE = 150, 2
LINK = re.compile(
    r"""<(a|link|script|img|source)\b[^>]*?\b(href|src)\s*=\s*["']([^"']+)["']""", re.I
)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
SKIP = ("/accounts/logout/", "/admin/logout/")


@dataclass
class Result:
    """What was asked and what went wrong; ``ok`` when nothing did."""

    problems: list[str] = field(default_factory=list)
    checked: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)  # 4xx: allowed, listed with --verbose

    @property
    def ok(self) -> bool:
        return not self.problems


# The production path ---------------------------------------------------------------


def production_env(database_url: str, static_root: str, **extra: str) -> dict[str, str]:
    """The environment of a production server (module doc), on plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL")
        and not key.startswith(("PYTEST_", "GUNICORN_"))
    }
    vapid_private, vapid_public = vapid_pair()
    env.update(
        {
            "DEBUG": "false",
            "VAPID_PRIVATE_KEY": vapid_private,
            "VAPID_PUBLIC_KEY": vapid_public,
            "VAPID_SUBJECT": "mailto:drift@example.org",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": static_root,
            "EMAIL_URL": "dummymail://",
            "SITE_URL": "https://127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_ACCESS_LOG": "false",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def recreate_postgres_database(database_url: str, marker: str = "smoke") -> None:
    """Drop and create the smoke database (its name must say smoke, or ``marker``)."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if marker not in name:
        raise SystemExit(f"Refusing to drop {name}: only a *{marker}* database is rebuilt here.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str], marker: str = "smoke") -> None:
    """Migrate, load the demo data and this week's visits, collect the static files."""
    url = env["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(url, marker)
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env={**env, "DEBUG": "true"})
    manage("generate_visits", "--weeks", "1", env=env)
    manage("collectstatic", "--noinput", "--clear", env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py, in its own process group."""

    def __init__(self, env: dict[str, str], port: int | None = None, workers: int = 2):
        self.port = port or free_port()
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
        }
        self.log = tempfile.NamedTemporaryFile("w+", prefix="drivein-gunicorn-", suffix=".log")  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 60) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.output()}")
            with contextlib.suppress(OSError, RuntimeError):
                if client(self.port).request("GET", "/accounts/login/")[0] == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {wait:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """kill -9 of the master and its workers, as when the machine dies."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


# The checks --------------------------------------------------------------------------


def client(port: int) -> Client:
    """An HTTP client as behind the TLS proxy: X-Forwarded-Proto https, a same-site Referer."""
    one = Client("127.0.0.1", port)
    one.headers.update({"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{port}/"})
    return one


def get(one: Client, path: str, limit: int = 5) -> tuple[int, bytes, str, str]:
    """GET, following redirects on this site: (status, body, content type, final path)."""
    for _ in range(limit):
        status, body, response = one.request("GET", path)
        location = response.getheader("Location")
        if status not in (301, 302, 303, 307, 308) or not location:
            return status, body, response.getheader("Content-Type", ""), path
        target = urlsplit(urljoin(path, location))
        if target.netloc and not target.netloc.startswith("127.0.0.1"):
            return status, body, "", path
        path = target.path + (f"?{target.query}" if target.query else "")
    return status, body, "", path


def links(html: str, base: str) -> list[str]:
    """Same-site paths of a page's links, scripts, styles and images."""
    found = []
    for _tag, _attr, value in LINK.findall(html):
        value = urldefrag(value.replace("&amp;", "&"))[0]
        if not value or value.startswith(
            ("mailto:", "tel:", "sms:", "geo:", "javascript:", "data:")
        ):
            continue
        target = urlsplit(urljoin(base, value))
        if target.netloc and not target.netloc.startswith(("127.0.0.1", "localhost")):
            continue
        found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?", 1)[0]) + ("?" if "?" in path else "")


class Checker:
    def __init__(self, port: int):
        self.port = port
        self.result = Result()
        self.static_seen: set[str] = set()

    def problem(self, text: str) -> None:
        self.result.problems.append(text)

    def fetch(self, one: Client, who: str, path: str, source: str, kind: str):
        try:
            status, body, ctype, final = get(one, path)
        except OSError as error:
            self.problem(f"{who}: GET {path} (from {source}) had no answer: {error}")
            return None
        self.result.checked[kind] += 1
        self.result.statuses[status] += 1
        if status >= 500:
            self.problem(f"{who}: GET {path} (from {source}) answered {status}")
            return None
        if status >= 400:
            self.result.refused.append(f"{who}: GET {path} (from {source}) answered {status}")
        return status, body, ctype, final

    def static(self, one: Client, path: str, source: str) -> None:
        if path in self.static_seen:
            return
        self.static_seen.add(path)
        answer = self.fetch(one, "static", path, source, "static")
        if answer is None:
            return
        status, body, ctype, _final = answer
        if status != 200:
            self.problem(f"static: GET {path} (from {source}) answered {status}")
        elif "css" in ctype:
            for ref in CSS_URL.findall(body.decode("utf-8", "replace")):
                if not ref.startswith(("data:", "#")):
                    self.static(one, urlsplit(urljoin(path, ref)).path, path)

    def crawl(self, one: Client, who: str, start: list[str]) -> None:
        queue = [(path, "the list of known pages") for path in start]
        seen: set[str] = set()
        shapes: Counter = Counter()
        pages = 0
        while queue and pages < MAX_PAGES:
            path, source = queue.pop(0)
            if path in seen or path.startswith(SKIP):
                continue
            seen.add(path)
            if path.startswith("/static/"):
                self.static(one, path, source)
                continue
            shapes[shape(path)] += 1
            if shapes[shape(path)] > PER_SHAPE:
                continue
            pages += 1
            answer = self.fetch(one, who, path, source, f"pages ({who})")
            if answer is None:
                continue
            status, body, ctype, final = answer
            if status == 200 and "html" in ctype:
                queue.extend((link, path) for link in links(body.decode("utf-8", "replace"), final))

    def offline_files(self, one: Client) -> None:
        """The manifest and its icons; the service worker and what it keeps at install."""
        answer = self.fetch(one, "volunteer", "/manifest.webmanifest", "the layout", "offline")
        if answer and answer[0] == 200:
            for icon in json.loads(answer[1])["icons"]:
                self.static(one, icon["src"], "/manifest.webmanifest")
        else:
            self.problem(f"volunteer: the web manifest answered {answer and answer[0]}")
        answer = self.fetch(one, "volunteer", "/sw.js", "the layout", "offline")
        if not answer or answer[0] != 200 or "javascript" not in answer[2]:
            self.problem(f"volunteer: the service worker answered {answer and answer[:3:2]}")
            return
        first = answer[1].decode("utf-8").split("\n", 1)[0]
        config = json.loads(first.removeprefix("self.DRIVEIN = ").removesuffix(";"))
        for asset in config["assets"]:
            self.static(one, asset, "/sw.js (kept at install)")
        for page in config["pages"]:
            kept = self.fetch(one, "volunteer", page, "/sw.js (kept at install)", "offline")
            if kept and kept[0] != 200:
                self.problem(f"volunteer: {page}, kept by the service worker, answered {kept[0]}")

    def api(self, who: str, username: str) -> None:
        """Every GET of the API's schema: the lists, and one item of each (by its id)."""
        one = client(self.port)
        one.login_token(username, PASSWORD)
        answer = self.fetch(one, f"{who} (API)", "/api/schema/?format=json", "KNOWN", "api")
        if not answer or answer[0] != 200:
            self.problem(f"{who} (API): the schema answered {answer and answer[0]}")
            return
        paths = [p for p, ops in json.loads(answer[1])["paths"].items() if "get" in ops]
        first_ids: dict[str, object] = {}
        for path in (p for p in paths if "{" not in p):
            listed = self.fetch(one, f"{who} (API)", path, "/api/schema/", "api")
            if listed and listed[0] == 200:
                body = json.loads(listed[1])
                items = body.get("results") if isinstance(body, dict) else body
                if items and isinstance(items[0], dict) and "id" in items[0]:
                    first_ids[path] = items[0]["id"]
        for path in (p for p in paths if p.count("{") == 1):
            parent = path.split("{", 1)[0]
            if parent in first_ids:
                item = re.sub(r"\{[^}]+\}", str(first_ids[parent]), path)
                self.fetch(one, f"{who} (API)", item, "/api/schema/", "api")


def check_site(port: int) -> Result:
    """Everything the module doc lists, against the server on ``port``."""
    checker = Checker(port)
    anonymous = client(port)
    # Plain HTTP (no X-Forwarded-Proto) is sent to HTTPS, as SECURE_SSL_REDIRECT says.
    status, _body, response = Client("127.0.0.1", port).request("GET", "/accounts/login/")
    if status != 301 or not (response.getheader("Location") or "").startswith("https://"):
        checker.problem(f"plain HTTP answered {status}, not a redirect to HTTPS")
    checker.crawl(anonymous, "anonymous", KNOWN)
    for who, username in ROLES.items():
        one = client(port)
        one.login_session(username, PASSWORD)
        checker.crawl(one, who, [*KNOWN, *ROLE_KNOWN[who]])
        if who == "volunteer":
            checker.offline_files(one)
        checker.api(who, username)
    return checker.result


def wait_for_a_fresh_minute(at_least: float = 20.0) -> None:
    """Rate limits count in fixed minutes: start where the whole check fits in one."""
    left = 60 - time.time() % 60
    if left < at_least:
        time.sleep(left + 0.5)


def summary(result: Result) -> str:
    checked = ", ".join(f"{n} {kind}" for kind, n in sorted(result.checked.items()))
    statuses = ", ".join(f"{n} × {s}" for s, n in sorted(result.statuses.items()))
    head = f"Smoke: {sum(result.checked.values())} requests ({checked}); answers {statuses}."
    return "\n".join([head, *(f"PROBLEM: {p}" for p in result.problems)])


@contextlib.contextmanager
def production_site(database_url: str, *, servers: int = 1, workers: int = 2, **extra: str):
    """Prepared database, collected static files and ``servers`` gunicorn instances."""
    with tempfile.TemporaryDirectory(prefix="drivein-static-") as static_root:
        env = production_env(database_url, static_root, **extra)
        prepare(env)
        started: list[Gunicorn] = []
        try:
            for _ in range(servers):
                started.append(Gunicorn(env, workers=workers).start())
            yield started
        finally:
            for server in started:
                server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SMOKE_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/drivein_smoke",
    )
    parser.add_argument("--verbose", action="store_true", help="list the 4xx answers too")
    arguments = parser.parse_args()
    started = time.monotonic()
    with production_site(arguments.database_url, DB_POOL_SIZE="4") as (server,):
        result = check_site(server.port)
    print(summary(result))
    if arguments.verbose:
        print("\n".join(result.refused))
    print(f"({time.monotonic() - started:.0f} s in all)")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
