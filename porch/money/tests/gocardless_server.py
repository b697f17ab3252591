"""GoCardless's API on 127.0.0.1, as its reference describes it, for the Direct Debit tests:
customers, customer bank accounts (answering only `account_number_ending`), mandates and their
cancel action, each create idempotent by `Idempotency-Key` (a repeat is a 409 naming what the
first made), and webhooks `{"events": [...]}` signed with HMAC-SHA256 in `Webhook-Signature`."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .govuk_pay_server import sign

ACCESS_TOKEN = "sandbox_loopback_access_token_0123456789"
WEBHOOK_SECRET = "gocardless_loopback_webhook_secret_0123"
PREFIX = {"customers": "CU", "customer_bank_accounts": "BA", "mandates": "MD"}


@dataclass
class GoCardlessServer:
    url: str = ""
    made: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {name: {} for name in PREFIX})
    by_key: dict[str, tuple[str, str]] = field(default_factory=dict)
    bodies: list[bytes] = field(default_factory=list)
    failing_with: int | None = None
    failing_only: str = ""  # with failing_with: only requests to this resource fail

    def mandate_ids(self) -> list[str]:
        return list(self.made["mandates"])

    def webhook(self, mandate_id: str, action: str) -> tuple[bytes, str]:
        event = {
            "id": "EV" + secrets.token_hex(6).upper(),
            "created_at": "2026-12-01T10:00:00.000Z",
            "resource_type": "mandates",
            "action": action,
            "links": {"mandate": mandate_id},
            "details": {"origin": "bank", "description": f"The mandate is {action}."},
        }
        body = json.dumps({"events": [event]}).encode()
        return body, sign(body, WEBHOOK_SECRET)


@contextmanager
def gocardless_server() -> Iterator[GoCardlessServer]:
    gc = GoCardlessServer()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            gc.bodies.append(body)
            if gc.failing_with is not None and self.path.startswith(f"/{gc.failing_only}"):
                self._answer(gc.failing_with, {"error": {"type": "gocardless", "message": "Internal error"}})
                return
            if self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}" or not self.headers.get(
                "GoCardless-Version"
            ):
                self._answer(401, {"error": {"type": "invalid_api_usage", "message": "Unauthorised"}})
                return
            parts = self.path.strip("/").split("/")
            if parts[0] == "mandates" and parts[-1] == "cancel":
                self._answer(*_cancel(gc, parts[1]))
                return
            self._answer(*_create(gc, parts[0], json.loads(body)[parts[0]], self.headers.get("Idempotency-Key", "")))

        def do_GET(self) -> None:
            resource, _, made = self.path.strip("/").partition("/")
            found = gc.made.get(resource, {}).get(made)
            self._answer(*((200, {resource: found}) if found else (404, {"error": {"type": "invalid_api_usage"}})))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gc.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield gc
    finally:
        server.shutdown()
        server.server_close()


def _create(gc: GoCardlessServer, resource: str, fields: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    if key in gc.by_key:
        made = gc.by_key[key][1]
        conflict = {"reason": "idempotent_creation_conflict", "links": {"conflicting_resource_id": made}}
        return 409, {"error": {"type": "invalid_state", "errors": [conflict]}}
    if resource == "customer_bank_accounts" and fields["account_number"] == "55779911":
        problem = {"field": "account_number", "message": "is invalid", "request_pointer": "/account_number"}
        return 422, {"error": {"type": "validation_failed", "errors": [problem]}}
    made = {"id": PREFIX[resource] + secrets.token_hex(6).upper(), **fields}
    if resource == "customer_bank_accounts":
        made = {"id": made["id"], "account_number_ending": fields["account_number"][-2:], "links": fields["links"]}
    if resource == "mandates":
        made["status"] = "pending_submission"
    gc.made[resource][made["id"]] = made
    if key:
        gc.by_key[key] = (resource, made["id"])
    return 201, {resource: made}


def _cancel(gc: GoCardlessServer, mandate_id: str) -> tuple[int, dict[str, Any]]:
    mandate = gc.made["mandates"].get(mandate_id)
    if mandate is None:
        return 404, {"error": {"type": "invalid_api_usage"}}
    if mandate["status"] == "cancelled":
        return 422, {"error": {"type": "invalid_state", "errors": [{"reason": "mandate_already_cancelled"}]}}
    mandate["status"] = "cancelled"
    return 200, {"mandates": mandate}
