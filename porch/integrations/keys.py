"""Each connection's secret: worked out from FEED_API_KEY (kept outside the database), the
connection's uuid and its key version; shown once, and only its hash stored (ADR 0021).

Whoever reads the database cannot sign a request: the stored hash does not give the secret,
and working it out needs FEED_API_KEY. The server works it out again to check a signature.
Rotating bumps the version, so the old secret no longer matches at once."""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

from django.conf import settings

# A prefix that says what the string is, so a secret pasted somewhere it should not be is recognised.
PREFIX = "porch_feed_"
# Separates this use of FEED_API_KEY from any other the key may be given later.
PURPOSE = "porch feed api connection secret"


class NotSetUp(Exception):
    """FEED_API_KEY is not set: no connection can have a secret (the deploy check says so)."""


def secret_for(connection_uuid: UUID, key_version: int) -> str:
    if not settings.FEED_API_KEY:
        raise NotSetUp("FEED_API_KEY is not set on this server.")
    message = f"{PURPOSE}\n{connection_uuid}\n{key_version}".encode()
    digest = hmac.new(settings.FEED_API_KEY.encode(), message, hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored_hash: str) -> bool:
    """Whether the secret worked out now is the one the connection was given: not so after
    FEED_API_KEY changed, which stops every connection until it is rotated."""
    return hmac.compare_digest(secret_hash(secret), stored_hash)
