"""The checks every request to the housing system API passes, in order, before any of it is
read as JSON. Each refusal says why in plain words and nothing else (ADR 0021).

    not set up (503) -> headers (401) -> active connection (401) -> its allowed addresses (403)
    -> timestamp within five minutes (401) -> nonce's shape (401) -> body size (413)
    -> the secret is still the one it was given (401) -> signature (401) -> nonce unused (401)
    -> rate limit (429); then each endpoint checks its scope (403).

The address is checked before the body is read, so a large body from outside the allow-list
is never taken in. The session plays no part: a signed-in browser is no connection."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import logging
import math
import re
import tempfile
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from porch.core import ratelimit
from porch.core.types import PorchRequest
from porch.integrations import access, keys, services, signing
from porch.integrations.models import Connection, UsedNonce

logger = logging.getLogger("porch.integrations")

NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Nonces are kept for the whole time their request's timestamp could still pass, and a little more.
NONCE_KEPT = datetime.timedelta(seconds=2 * signing.WINDOW_SECONDS + 60)
RATE_WINDOW = datetime.timedelta(minutes=1)
MEGABYTE = 1024 * 1024
# The body is held in memory up to this size while it is checked, then in a temporary file.
SPOOL_BYTES = 2 * MEGABYTE


@dataclass
class Refused(Exception):
    status: int
    reason: str
    retry_after: int | None = None


def admit(request: PorchRequest) -> Connection:
    """The connection that signed this request, or Refused."""
    if not settings.FEED_API_KEY:
        raise Refused(503, "Housing system connections are not set up on this server yet.")
    headers = _headers(request)
    connection = access.connection_signing(headers[signing.CONNECTION])
    if connection is None:
        raise Refused(401, "There is no active connection with this id.")
    _from_allowed_address(connection, request.client_ip)
    timestamp, nonce = headers[signing.TIMESTAMP], headers[signing.NONCE]
    _fresh(timestamp)
    if not NONCE.fullmatch(nonce):
        raise Refused(401, "The nonce must be 16 to 64 letters, digits, - or _, and new for every request.")
    body_sha256 = _body_read(request)
    _signed(connection, request, timestamp, nonce, body_sha256, headers[signing.SIGNATURE])
    _nonce_spend(connection, nonce)
    _within_rate(connection)
    services.connection_used(connection)
    return connection


def require_scope(connection: Connection, scope: str, words: str) -> None:
    if scope not in connection.scopes:
        raise Refused(403, f"This connection may not {words}.")


def _headers(request: PorchRequest) -> dict[str, str]:
    found = {name: request.headers.get(name, "").strip() for name in signing.HEADERS}
    missing = [name for name, value in found.items() if not value]
    if missing:
        raise Refused(
            401,
            f"Sign every request with the headers {', '.join(signing.HEADERS)}. Missing: {', '.join(missing)}.",
        )
    return found


def _from_allowed_address(connection: Connection, address: str) -> None:
    if not allowed(address, connection.allowed_networks):
        raise Refused(403, f"This connection does not accept requests from this address ({address}).")


def allowed(address: str, networks: list[str]) -> bool:
    """Whether the address is in one of the networks. No networks: no address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return any(parsed in ipaddress.ip_network(network) for network in networks)


def _fresh(timestamp: str) -> None:
    now = int(time.time())
    if not timestamp.isascii() or not timestamp.isdigit() or abs(now - int(timestamp)) > signing.WINDOW_SECONDS:
        raise Refused(
            401,
            f"The timestamp must be the time of sending in whole seconds since 1970 (Unix time), within "
            f"{signing.WINDOW_SECONDS // 60} minutes of ours: ours is {now}. Check the sending machine's clock.",
        )


def _body_read(request: PorchRequest) -> str:
    """The SHA-256 of the body, read once, at most FEED_API_MAX_MEGABYTES, never held whole in
    memory before the signature is checked. The bytes are then kept as the request's body,
    as Django keeps them when it reads a body itself, for the endpoint to parse."""
    limit = settings.FEED_API_MAX_MEGABYTES * MEGABYTE
    too_large = Refused(
        413,
        f"The body is larger than {settings.FEED_API_MAX_MEGABYTES} MB, the most one request may carry: "
        "send it as several batches, or as files through the import folder.",
    )
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > limit:
        raise too_large
    digest, size = hashlib.sha256(), 0
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  (closed below)
    with spool:
        while chunk := request.read(1 << 16):
            size += len(chunk)
            if size > limit:
                raise too_large
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        request._body = spool.read()
    return digest.hexdigest()


def _signed(
    connection: Connection, request: PorchRequest, timestamp: str, nonce: str, body_sha256: str, given: str
) -> None:
    secret = keys.secret_for(connection.uuid, connection.key_version)
    if not keys.matches(secret, connection.secret_hash):
        logger.error(
            "feed api: connection %s: its secret no longer matches (was FEED_API_KEY changed?)", connection.uuid
        )
        raise Refused(401, "This connection's secret is no longer valid: ask for a new one to be made (rotated).")
    text = signing.canonical(request.method or "", request.get_full_path(), timestamp, nonce, body_sha256)
    if not signing.signature_matches(secret, given, text):
        raise Refused(
            401,
            "The signature does not match this request. Sign the method, the path with its query, the timestamp, "
            "the nonce and the SHA-256 of the body with this connection's current secret (docs/feed-api.md).",
        )


def _nonce_spend(connection: Connection, nonce: str) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(connection=connection, nonce=nonce, used_at=now)
    except IntegrityError:
        raise Refused(401, "This nonce has been used before: a request is never accepted twice.") from None
    UsedNonce.objects.filter(connection=connection, used_at__lt=now - NONCE_KEPT).delete()


def _within_rate(connection: Connection) -> None:
    count, window_ends = ratelimit.counted("feed_api", str(connection.uuid), window=RATE_WINDOW)
    limit = settings.FEED_API_REQUESTS_PER_MINUTE
    if count > limit:
        wait = max(1, math.ceil((window_ends - timezone.now()).total_seconds()))
        raise Refused(
            429, f"Too many requests: this connection may make {limit} a minute. Try again in {wait} seconds.", wait
        )
