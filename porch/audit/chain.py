"""The hash chain: each row's hash covers its content and the previous hash.

Rows are keyed: the hash is an HMAC with AUDIT_KEY, a secret that lives outside the
database, so someone who can write to the database but does not hold the key cannot
rebuild the chain after changing or removing rows. Rows written before the chain was
keyed (ids up to AUDIT_CHAIN_UNKEYED_UP_TO) keep their plain SHA-256 over the fields
they had then, and still verify. See ADR 0004 and ADR 0006.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

from porch.audit.models import SESSION_REF_LENGTH

GENESIS = "0" * 64
# What rows written before the chain was keyed cover.
UNKEYED_FIELDS = (
    "at",
    "actor_id",
    "on_behalf_of_id",
    "actor_role",
    "subject_id",
    "tenancy_id",
    "object_type",
    "object_id",
    "action",
    "reason",
    "request_id",
    "client_ip",
)
CHAINED_FIELDS = (*UNKEYED_FIELDS, "route", "session_ref")


def _derived_key(purpose: str) -> bytes:
    """One key per use of AUDIT_KEY, so a session reference can never be replayed as a row hash."""
    return hmac.new(settings.AUDIT_KEY.encode(), purpose.encode(), hashlib.sha256).digest()


def _payload(previous_hash: str, values: dict[str, Any], fields: tuple[str, ...]) -> bytes:
    content = {name: values[name] for name in fields}
    content["at"] = content["at"].isoformat()
    return (previous_hash + json.dumps(content, sort_keys=True, separators=(",", ":"))).encode()


def row_hash(previous_hash: str, values: dict[str, Any]) -> str:
    """The keyed hash of a row written now."""
    payload = _payload(previous_hash, values, CHAINED_FIELDS)
    return hmac.new(_derived_key("porch.audit.chain"), payload, hashlib.sha256).hexdigest()


def unkeyed_row_hash(previous_hash: str, values: dict[str, Any]) -> str:
    """The hash rows had before the chain was keyed (for verifying them only)."""
    return hashlib.sha256(_payload(previous_hash, values, UNKEYED_FIELDS)).hexdigest()


def session_reference(session_key: str | None) -> str:
    """A stable, keyed reference for a browser session. The key itself would let
    anyone who reads the log take over a live session, so it is never stored."""
    if not session_key:
        return ""
    digest = hmac.new(_derived_key("porch.audit.session"), session_key.encode(), hashlib.sha256).hexdigest()
    return digest[:SESSION_REF_LENGTH]


def anchor_seal(previous_seal: str, at: str, heads: dict[str, str]) -> str:
    """The keyed seal of an anchor: its moment, every chain's newest hash, and the seal before it."""
    payload = (previous_seal + json.dumps({"at": at, "heads": heads}, sort_keys=True, separators=(",", ":"))).encode()
    return hmac.new(_derived_key("porch.audit.anchor"), payload, hashlib.sha256).hexdigest()
