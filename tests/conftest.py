"""
Shared fixtures. The cast, as in Healthchecks' base test case: a centre with its
coordinator (Alice) and a volunteer (Vera), another centre with its coordinator
(Charlie), leadership (Lea), an administrator (Ada) and the funder of a grant that
covers the centre's stop (Fiona).
"""

import pytest
from django.test import Client

from tests import factories as f


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_teardown(django_db_setup, django_db_blocker):
    """
    The live server answers each request in a daemon thread, which can still hold
    a PostgreSQL connection when the session ends; end such connections so that
    the test database can be dropped.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _no_live_request_during_a_flush():
    """
    On SQLite the test database lives in memory and the live server's request threads
    share its one connection. A request that arrives while a transactional test's
    teardown flushes the tables (a page's poll, a service worker's late sync) writes
    inside the flush's transaction, the commit fails on foreign keys, the rows stay,
    and every transactional test after it fails. One lock keeps the two apart: a
    request waits for the flush, a flush for the request.
    """
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import testcases

    if connection.vendor != "sqlite":
        yield
        return
    lock = threading.RLock()
    serve, teardown = WSGIHandler.__call__, testcases.TransactionTestCase._fixture_teardown

    def serve_alone(self, environ, start_response):
        with lock:
            return serve(self, environ, start_response)

    def teardown_alone(self):
        with lock:
            return teardown(self)

    WSGIHandler.__call__ = serve_alone
    testcases.TransactionTestCase._fixture_teardown = teardown_alone
    yield
    WSGIHandler.__call__ = serve
    testcases.TransactionTestCase._fixture_teardown = teardown


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is for production; tests need speed, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_roads_or_map_tiles(settings):
    """The straight-line estimate and the outline map unless a test builds its roads."""
    settings.ROUTING_TILES_DIR = ""
    settings.ROUTING_URL = ""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and throttle counters live in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre(db):
    return f.make_centre(name="Nykøbing Mors")


@pytest.fixture
def other_centre(db):
    return f.make_centre(name="Skjern")


@pytest.fixture
def stop(centre):
    return f.make_stop(centre, community="Redsted", slug="redsted")


@pytest.fixture
def other_stop(other_centre):
    return f.make_stop(other_centre, community="Tarm", slug="tarm")


@pytest.fixture
def coordinator(centre):
    return f.make_coordinator(centre, "alice")


@pytest.fixture
def other_coordinator(other_centre):
    return f.make_coordinator(other_centre, "charlie")


@pytest.fixture
def volunteer_user(centre):
    user = f.make_user("vera")
    f.make_volunteer(centre, user=user, name="Vera Frivillig")
    return user


@pytest.fixture
def leader(db):
    return f.make_leader("lea")


@pytest.fixture
def funded_grant(stop):
    """A grant covering the centre's stop Redsted (not the centre whole), open-ended."""
    import datetime as dt

    from stops.models import Funder

    grant = Funder.objects.create(name="Landsbyfonden", start_date=dt.date(2020, 1, 1))
    grant.stops.add(stop)
    return grant


@pytest.fixture
def funder_user(funded_grant):
    """Fiona, the login of the grant's funder: reads that grant's reach, nothing else."""
    user = f.make_user("fiona")
    funded_grant.readers.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return f.make_user("ada", is_staff=True, is_superuser=True)


# A logged-in browser client per role, as ephios names its fixtures. Each is its own
# Client, so that a test can hold two roles at once (and Django's ``client`` stays
# anonymous beside them).


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    """Alice, coordinator of the centre (Nykøbing Mors)."""
    return _logged_in(coordinator)


@pytest.fixture
def other_coordinator_client(other_coordinator) -> Client:
    """Charlie, coordinator of the other centre (Skjern) only."""
    return _logged_in(other_coordinator)


@pytest.fixture
def volunteer_client(volunteer_user) -> Client:
    """Vera, volunteer at the centre."""
    return _logged_in(volunteer_user)


@pytest.fixture
def leader_client(leader) -> Client:
    """Lea, leadership: reads every centre, changes nothing."""
    return _logged_in(leader)


@pytest.fixture
def funder_client(funder_user) -> Client:
    """Fiona, the funder: the reach of her grant's stops and days only."""
    return _logged_in(funder_user)


# Browser tests ---------------------------------------------------------------
# Playwright drives Debian's Chromium (never a downloaded browser). Without it the
# tests are skipped with a loud reason; `make test` installs it where it can.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


@pytest.fixture(scope="session")
def browser():
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip(f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium)")
    # pytest-django's live_server runs in this process; Playwright's sync API runs
    # an event loop here too, which Django would otherwise refuse to share.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A desktop page; `page.goto(live_server.url + '/')`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px wide touch phone, as the volunteers have."""
    context = browser.new_context(**PHONE, locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """Log a page in as a user: login(page, user) (the password is 'pw')."""

    def do_login(page, user, password: str = "pw") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")

    return do_login
