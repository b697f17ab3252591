"""Connections and signed requests for tests, made the way a system administrator and a
housing system would make them."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Sequence
from typing import Any

from django.test import Client

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.integrations import services, signing
from porch.integrations.models import Connection

HMS_ADDRESS = "192.0.2.10"  # the housing system's own address (a documentation range)


def connection(
    cast: Cast,
    *,
    name: str = "Housing management system",
    scopes: Sequence[str] = ("people",),
    networks: Sequence[str] = ("192.0.2.0/28",),
    apply_when_previewed: bool = False,
) -> tuple[Connection, str]:
    """A connection added by the system administrator, and its secret (shown to them once)."""
    added = services.connection_add(
        actor=actor_for_user(cast.staff["admin"], verified=True),
        name=name,
        scopes=scopes,
        networks=networks,
        apply_when_previewed=apply_when_previewed,
        idempotency_key=uuid.uuid4(),
    )
    return added.connection, added.secret


class Hms:
    """A housing system sending signed requests from its own address."""

    def __init__(self, connection: Connection, secret: str, *, client: Client | None = None) -> None:
        self.connection = connection
        self.secret = secret
        self.client = client or Client()
        self.address = HMS_ADDRESS

    def headers(self, method: str, path: str, body: bytes, **overrides: Any) -> dict[str, str]:
        timestamp = str(overrides.pop("timestamp", int(time.time())))
        nonce = overrides.pop("nonce", secrets.token_urlsafe(24))
        secret = overrides.pop("secret", self.secret)
        headers = {
            signing.CONNECTION: str(overrides.pop("connection", self.connection.uuid)),
            signing.TIMESTAMP: timestamp,
            signing.NONCE: nonce,
            signing.SIGNATURE: signing.signature(secret, method, path, timestamp, nonce, body),
        }
        headers.update(overrides)
        return headers

    def send(self, method: str, path: str, body: bytes = b"", *, sign_path: str = "", **overrides: Any) -> Any:
        headers = self.headers(method, sign_path or path, body, **overrides)
        return self.client.generic(
            method, path, body, content_type="application/json", headers=headers, REMOTE_ADDR=self.address
        )

    def batch(self, entity: str, rows: list[dict[str, Any]], *, batch_key: str = "batch-1", **overrides: Any) -> Any:
        body = json.dumps({"batch_key": batch_key, "rows": rows}).encode()
        return self.send("POST", f"/api/feed/v1/entities/{entity}/batches", body, **overrides)

    def get(self, path: str, **overrides: Any) -> Any:
        return self.send("GET", path, **overrides)


PEOPLE = [
    {"person_ref": "P-9001", "first_name": "Fatima", "last_name": "Farah", "date_of_birth": "1981-03-04"},
    {"person_ref": "P-9002", "first_name": "George", "last_name": "Grant", "date_of_birth": None},
]
