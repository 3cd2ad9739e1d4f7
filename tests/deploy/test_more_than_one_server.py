"""
Two server processes on one database, as with several gunicorn workers or machines:
the rate limits count once for both (the database cache, the production default),
and a login holds on the other process and after a restart (database sessions).
"""

import json
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tools import smoke

LIMIT = 60  # RATE_LIMIT_PUBLIC_PAGES' default, per minute and address


def a_stop_slug(port: int) -> str:
    coordinator = smoke.client(port)
    coordinator.login_token("koordinator", smoke.PASSWORD)
    status, body, _response = coordinator.request("GET", "/api/v1/stops/")
    assert status == 200
    return json.loads(body)["results"][0]["slug"]


def test_two_server_processes_let_exactly_the_limit_through_from_one_address(
    production_servers,
):
    first, second = production_servers
    path = f"/s/{a_stop_slug(first.port)}/"
    # One address (as the proxy saw it) that nothing else in the session uses.
    address = f"198.51.100.{random.randint(1, 254)}"
    smoke.wait_for_a_fresh_minute()

    def visit(number: int) -> int:
        server = production_servers[number % 2]
        page = smoke.client(server.port)
        return page.request("GET", path, headers={"X-Forwarded-For": address})[0]

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = Counter(pool.map(visit, range(LIMIT + 30)))
    assert statuses == {200: LIMIT, 429: 30}
    # Another address is not held back by it.
    other = smoke.client(second.port)
    assert other.request("GET", path, headers={"X-Forwarded-For": "198.51.100.255"})[0] == 200


def test_a_login_holds_on_the_other_server_and_after_it_restarts(production_servers):
    first, second = production_servers
    phone = smoke.client(first.port)
    phone.login_session("frivillig", smoke.PASSWORD)
    second.stop()
    second.start()
    other = smoke.client(second.port)
    other.cookies = dict(phone.cookies)
    status, _body, _response = other.request("GET", "/today/")
    assert status == 200  # not the login page: the session is in the database
