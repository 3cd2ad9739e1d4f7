"""
GatewayAPI.com (Denmark): ``POST /rest/mtsms`` with the API token and a JSON body
``{"sender", "message", "recipients": [{"msisdn": 4512345678}]}``.

SMS_URL = gatewayapi://TOKEN@gatewayapi.com (https), or gatewayapi+http://TOKEN@host:port
for a local test server. The token goes in ``Authorization: Token <token>``.
A 5xx, 429 or a timeout may work later (TemporaryFailure); any other 4xx will not.
"""

from __future__ import annotations

import requests
from django.conf import settings

from notifications.failures import PermanentFailure, TemporaryFailure
from notifications.sms.base import SmsBackend
from notifications.sms.gsm import is_gsm7


class GatewayApiBackend(SmsBackend):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        scheme = "http" if self.url.scheme == "gatewayapi+http" else "https"
        host = self.url.hostname or "gatewayapi.com"
        port = f":{self.url.port}" if self.url.port else ""
        self.endpoint = f"{scheme}://{host}{port}/rest/mtsms"
        self.token = self.url.username or ""
        self.timeout = settings.SMS_TIMEOUT

    def send(self, to: str, text: str) -> None:
        payload: dict = {
            "sender": self.sender,
            "message": text,
            "recipients": [{"msisdn": int(to)}],
        }
        if not is_gsm7(text):
            payload["encoding"] = "UCS2"
        try:
            response = requests.post(
                self.endpoint,
                json=payload,
                headers={"Authorization": f"Token {self.token}"},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise TemporaryFailure(f"GatewayAPI: {error.__class__.__name__}") from error
        if response.status_code >= 500 or response.status_code == 429:
            raise TemporaryFailure(f"GatewayAPI answered {response.status_code}")
        if response.status_code >= 400:
            raise PermanentFailure(
                f"GatewayAPI answered {response.status_code}: {response.text[:200]}"
            )
