"""How a request is signed: the same few lines the integrator's code runs (docs/feed-api.md).

The signature is HMAC-SHA256, keyed with the connection's secret, over a canonical text of
the request: the method, the path with its query, the timestamp, the nonce and the SHA-256 of
the body, one to a line. Changing any of them (another body, another path, an old timestamp)
changes the signature; the nonce makes each request's signature one of a kind."""

from __future__ import annotations

import hashlib
import hmac

CONNECTION = "Porch-Connection"
TIMESTAMP = "Porch-Timestamp"
NONCE = "Porch-Nonce"
SIGNATURE = "Porch-Signature"
HEADERS = (CONNECTION, TIMESTAMP, NONCE, SIGNATURE)
# A request's timestamp may be this far from the server's clock, either way.
WINDOW_SECONDS = 300


def canonical(method: str, path: str, timestamp: str, nonce: str, body_sha256: str) -> bytes:
    return "\n".join([method.upper(), path, timestamp, nonce, body_sha256]).encode()


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The Porch-Signature header for a request (lower-case hex)."""
    text = canonical(method, path, timestamp, nonce, hashlib.sha256(body).hexdigest())
    return hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()


def signature_matches(secret: str, given: str, text: bytes) -> bool:
    expected = hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())
