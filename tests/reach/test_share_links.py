"""Share links: one grant and period, signed and expiring, opened without a login."""

from __future__ import annotations

import datetime as dt
import re
import time

from django.core import signing
from django.test import Client
from django.utils import timezone

from reach.share_links import SALT
from stops.models import Funder
from tests import factories as f

from .world import day

WEEK = {"week": "2025-W48"}


def make_link(client: Client, grant: Funder, **params) -> str:
    response = client.post("/reach/share/", {"funder": grant.pk, "days": "7", **WEEK, **params})
    assert response.status_code == 200, response.text
    return re.search(r'value="http://testserver(/shared/[^"]+)"', response.text)[1]


def test_leadership_makes_a_link_that_opens_the_grants_figures_without_a_login(
    leader_client, world, grant
):
    html = leader_client.get("/reach/", {**WEEK, "funder": grant.pk}).text
    assert 'action="/reach/share/"' in html
    path = make_link(leader_client, grant)
    response = Client().get(path)
    assert response.status_code == 200
    sel = response.context["sel"]
    assert (sel.funder, sel.publication, sel.grant_only) == (grant, True, True)
    assert response.context["data"].total.raw.people_met == 20  # Tarm; Redsted is not covered
    assert response["Cache-Control"] == "private, no-store"
    assert "Denne delte side kan kun læses" in response.text
    # Read only: no period picker, no exports, no links into the site.
    assert "/reach/export" not in response.text and "reach/?" not in response.text
    assert 'class="data to-fix"' not in response.text


def test_a_link_keeps_its_place_and_period(leader_client, world, grant):
    path = make_link(leader_client, grant, centre=world.mors.pk)
    sel = Client().get(path).context["sel"]
    assert (sel.centre, sel.period.key) == (world.mors, "2025-W48")
    assert [row.name for row in Client().get(path).context["data"].rows] == ["Karby"]


def test_an_altered_link_is_a_danish_404(leader_client, world, grant):
    path = make_link(leader_client, grant)
    token = path.split("/")[2]
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "altered:link"):
        response = Client().get(f"/shared/{bad}/")
        assert response.status_code == 404
        assert "Linket er ikke gyldigt" in response.text


def test_a_link_for_another_grant_cannot_be_forged_from_a_real_one(leader_client, world, grant):
    """The grant sits inside the signed value: a link for one grant opens no other."""
    other = Funder.objects.create(name="Andenfonden", start_date=day(1))
    other.centres.add(world.brovst)
    token = make_link(leader_client, grant).split("/")[2]
    value = signing.loads(token, salt=SALT)
    value["p"]["funder"] = str(other.pk)
    forged = signing.dumps(value, salt="another-salt", compress=True)
    assert Client().get(f"/shared/{forged}/").status_code == 404


def test_an_expired_link_is_a_danish_410(leader_client, world, grant, monkeypatch):
    path = make_link(leader_client, grant)  # 7 days
    eighth_day = timezone.localdate() + dt.timedelta(days=8)
    monkeypatch.setattr(timezone, "localdate", lambda *args: eighth_day)
    response = Client().get(path)
    assert response.status_code == 410
    assert "Linket er udløbet" in response.text


def test_a_link_older_than_any_link_may_live_is_410_whatever_it_says(world, grant, monkeypatch):
    token = signing.dumps(
        {"p": {"funder": str(grant.pk), **WEEK}, "u": "2999-01-01"}, salt=SALT, compress=True
    )
    later = signing.time.time() + 92 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert Client().get(f"/shared/{token}/").status_code == 410


def test_bad_requests_for_a_link_say_what_is_wrong_in_danish(leader_client, world, grant):
    empty = Funder.objects.create(name="Tomfonden", start_date=day(1))
    cases = [
        ({"days": "30", **WEEK}, "Vælg først en bevillingsgiver"),
        ({"funder": grant.pk, "days": "365", **WEEK}, "Vælg hvor længe linket virker"),
        ({"funder": grant.pk, "days": "7", "week": "2025-W40"}, "uden for bevillingen"),
        ({"funder": empty.pk, "days": "7", **WEEK}, "dækker endnu ingen stop"),
    ]
    for data, message in cases:
        response = leader_client.post("/reach/share/", data)
        assert response.status_code == 400, data
        assert message in response.text, data
    assert leader_client.post("/reach/share/", {"funder": 99999, "days": "7"}).status_code == 404


def test_a_coordinator_shares_only_a_grant_within_their_centres(world, grant):
    skjern = Client()
    skjern.force_login(f.make_coordinator(world.skjern, "sk"))
    # The grant covers Skjern and Mors's Karby: Skjern's coordinator may not share Karby.
    response = skjern.post("/reach/share/", {"funder": grant.pk, "days": "7", **WEEK})
    assert response.status_code == 400 and "kun ledelsen kan dele den" in response.text
    own = Funder.objects.create(name="Skjernfonden", start_date=day(1))
    own.centres.add(world.skjern)
    assert make_link(skjern, own).startswith("/shared/")
    brovst = Client()
    brovst.force_login(f.make_coordinator(world.brovst, "br"))
    assert brovst.post("/reach/share/", {"funder": own.pk, "days": "7"}).status_code == 404


def test_a_volunteer_or_a_funder_makes_no_link(world, grant):
    funder = f.make_user("fund")
    grant.readers.add(funder)
    for user in (f.make_volunteer(world.mors, user=f.make_user("v")).user, funder):
        client = Client()
        client.force_login(user)
        assert client.post("/reach/share/", {"funder": grant.pk, "days": "7"}).status_code == 404
    assert Client().post("/reach/share/", {"funder": grant.pk, "days": "7"}).status_code == 302


def test_share_links_are_rate_limited_like_the_public_pages(
    leader_client, world, grant, settings, monkeypatch
):
    n = 3
    settings.PATH_RATE_LIMITS = {"/shared/": f"{n}/minute"}
    # One window for all the requests: a slow machine must not cross into the next minute.
    moment = time.time()
    monkeypatch.setattr("core.ratelimit.now", lambda: moment)
    path = make_link(leader_client, grant)
    reader = Client()
    statuses = [reader.get(path).status_code for _ in range(n + 1)]
    assert statuses == [200] * n + [429]
