"""VAPID keys as the settings hold them: base64url, the private key as its 32 raw bytes
and the public key as the 65-byte uncompressed point the browsers' subscribe() takes."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    text = text.strip().rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def private_key_of(private: str) -> ec.EllipticCurvePrivateKey:
    """The private key from its base64url raw form; ValueError when it is not one."""
    try:
        raw = _unb64url(private)
    except (ValueError, TypeError) as error:
        raise ValueError("not base64url") from error
    if len(raw) != 32:
        raise ValueError("a P-256 private key has 32 bytes")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def public_key_of(private: str) -> str:
    return b64url(public_bytes(private_key_of(private).public_key()))


def generate() -> tuple[str, str]:
    """A new pair: (private, public), both base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(raw), b64url(public_bytes(key.public_key()))


def push_enabled() -> bool:
    """Push is on when the site has a key pair (always in development)."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)
