"""The API's cast: the shared people, each with an API client, and a reportable visit."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def client_for(user=None) -> APIClient:
    """An API client that sends the user's token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    return client_for


@pytest.fixture
def visit(stop):
    """Yesterday's café at the coordinator's and volunteer's centre: ready for a report."""
    return f.make_visit(stop, date=YESTERDAY)


@pytest.fixture
def other_visit(other_stop):
    return f.make_visit(other_stop, date=YESTERDAY)


@pytest.fixture
def debt(db):
    return f.make_service_type(name="Gældsrådgivning")
