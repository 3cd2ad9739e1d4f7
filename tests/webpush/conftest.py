import pytest

from tests import factories as f
from tests.webpush.pushservice import PushService
from webpush.services import subscription_save


@pytest.fixture
def push_service(settings):
    """The test's own push service; the site may send to it (and only to it)."""
    settings.WEBPUSH_ENDPOINT_HOSTS = ["http://127.0.0.1:*"]
    with PushService(
        public_key=settings.VAPID_PUBLIC_KEY, subject=settings.VAPID_SUBJECT
    ) as service:
        yield service


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


@pytest.fixture
def subscribe(push_service):
    """subscribe(volunteer, path) -> (subscription, browser): a phone that said yes."""

    def do(volunteer, path: str = "/push/phone-1", user_agent: str = ""):
        endpoint, browser = push_service.browser(path)
        subscription, _new = subscription_save(
            volunteer=volunteer,
            endpoint=endpoint,
            p256dh=browser.p256dh,
            auth=browser.auth_b64,
            user_agent=user_agent,
        )
        return subscription, browser

    return do


@pytest.fixture
def other_volunteer(other_centre):
    return f.make_volunteer(other_centre, name="Otto Anden")
