"""The hash chain: each row's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64
CHAINED_FIELDS = (
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


def row_hash(previous_hash: str, values: dict[str, Any]) -> str:
    content = {name: values[name] for name in CHAINED_FIELDS}
    content["at"] = content["at"].isoformat()
    payload = previous_hash + json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
