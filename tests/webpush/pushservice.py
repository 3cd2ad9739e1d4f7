"""
A push service of the test's own, on 127.0.0.1: it takes what pywebpush POSTs, checks
the VAPID Authorization header against the site's public key (an ES256 JWT with the
audience, expiry and subject RFC 8292 asks for), and decrypts the body with http-ece
(aes128gcm, RFC 8291) using the browser keys the test holds. A path may be told to
answer otherwise (410, 503, …) or to be slow.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """What a browser makes when it subscribes: an ECDH P-256 key pair and an auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    payload: dict | None
    problems: list[str]


def verify_vapid(header: str, *, public_key: str, audience: str, subject: str) -> list[str]:
    """What is wrong with an Authorization header ("vapid t=JWT, k=KEY"); [] when nothing."""
    problems = []
    if not header.startswith("vapid "):
        return [f"not a vapid header: {header[:30]!r}"]
    parts = dict(item.strip().split("=", 1) for item in header[6:].split(","))
    if parts.get("k") != public_key:
        problems.append("k is not the site's public key")
    token = parts.get("t", "")
    try:
        head_b64, claims_b64, signature_b64 = token.split(".")
    except ValueError:
        return [*problems, "t is not a JWT"]
    head = json.loads(unb64url(head_b64))
    claims = json.loads(unb64url(claims_b64))
    if head.get("alg") != "ES256":
        problems.append(f"alg {head.get('alg')}")
    signature = unb64url(signature_b64)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        problems.append("the signature does not verify with the site's public key")
    if claims.get("aud") != audience:
        problems.append(f"aud {claims.get('aud')!r} is not {audience!r}")
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
        problems.append("exp is not within the next 24 hours")
    if claims.get("sub") != subject:
        problems.append(f"sub {claims.get('sub')!r}")
    return problems


class PushService:
    """Start with `with PushService(public_key=…, subject=…) as service:`."""

    def __init__(self, *, public_key: str, subject: str) -> None:
        self.public_key, self.subject = public_key, subject
        self.browsers: dict[str, Browser] = {}
        self.answers: dict[str, int] = {}
        self.delays: dict[str, float] = {}
        self.received: list[Received] = []
        self.requests = 0
        self._lock = threading.Lock()

    def __enter__(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with service._lock:
                    service.requests += 1
                time.sleep(service.delays.get(self.path, 0))
                status = service.answers.get(self.path, 201)
                if status == 201:
                    service._take(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def browser(self, path: str) -> tuple[str, Browser]:
        """A new browser subscribed at this path: (endpoint, its keys)."""
        browser = Browser()
        self.browsers[path] = browser
        return self.origin + path, browser

    def _take(self, path: str, headers: dict[str, str], body: bytes) -> None:
        problems = verify_vapid(
            headers.get("authorization", ""),
            public_key=self.public_key,
            audience=self.origin,
            subject=self.subject,
        )
        if headers.get("content-encoding") != "aes128gcm":
            problems.append(f"content-encoding {headers.get('content-encoding')!r}")
        if "ttl" not in headers:
            problems.append("no TTL header")
        payload = None
        browser = self.browsers.get(path)
        if browser is None:
            problems.append("no such subscription")
        else:
            try:
                plain = http_ece.decrypt(
                    body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm"
                )
                payload = json.loads(plain)
            except Exception as error:  # any failure to decrypt is the finding
                problems.append(f"cannot decrypt: {error!r}")
        with self._lock:
            self.received.append(Received(path, headers, payload, problems))
