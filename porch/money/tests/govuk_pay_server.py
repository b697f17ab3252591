"""GOV.UK Pay's public API on 127.0.0.1, as its documentation describes it, for the payment
tests: create a payment (POST /v1/payments, bearer key, Idempotency-Key), get a payment
(GET /v1/payments/{id}), refund one (POST /v1/payments/{id}/refunds, with what is left
to refund) and list its refunds (GET the same), and webhook messages signed with HMAC-SHA256 in `Pay-Signature`.
The test plays the paying resident by moving a payment's state (`finish`), or a browser does
on the hosted page at `next_url` (a button, where a real page asks for the card)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "api_test_loopback_0123456789abcdefghijklmnopqrstuvwxyz"
WEBHOOK_SECRET = "webhook_live_loopback_secret_0123456789"


@dataclass
class GovukPayServer:
    url: str = ""
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    # While set, every request is answered with this status (the provider having a bad day).
    failing_with: int | None = None
    refunded: dict[str, int] = field(default_factory=dict)  # payment id -> pence refunded so far
    refunds_made: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # payment id -> its refunds

    def created(self) -> list[dict[str, Any]]:
        return [json.loads(body) for method, path, _, body in self.requests if method == "POST"]

    def finish(self, payment_id: str, status: str, message: str = "") -> None:
        """The resident paid (success), or it failed, was cancelled or expired."""
        state = {"status": status, "finished": status in ("success", "failed", "cancelled", "error")}
        if message:
            state["message"] = message
        self.payments[payment_id]["state"] = state

    def webhook(self, payment_id: str, event_type: str = "card_payment_succeeded") -> tuple[bytes, str]:
        """A webhook message about the payment as it is now, and its signature."""
        message = {
            "webhook_message_id": secrets.token_hex(13),
            "api_version": 1,
            "created_date": "2026-12-01T10:00:00.000Z",
            "resource_id": payment_id,
            "resource_type": "payment",
            "event_type": event_type,
            "resource": self.payments[payment_id],
        }
        body = json.dumps(message).encode()
        return body, sign(body)


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@contextmanager
def govuk_pay_server() -> Iterator[GovukPayServer]:
    pay = GovukPayServer()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refusal(self) -> tuple[int, dict[str, Any]] | None:
            if pay.failing_with is not None:
                return pay.failing_with, {"code": "P0999", "description": "GOV.UK Pay is unavailable"}
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                return 401, {"code": "P0900", "description": "Credentials are required to access this resource"}
            return None

        def _page(self, status: int, html: str, location: str = "") -> None:
            data = html.encode()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/secure/"):  # the resident pays on the hosted page
                payment = pay.payments[self.path.removeprefix("/secure/")]
                pay.finish(payment["payment_id"], "success" if b"pay=yes" in body else "cancelled")
                self._page(303, "", location=payment["return_url"])
                return
            pay.requests.append(("POST", self.path, dict(self.headers.items()), body))
            refusal = self._refusal()
            if refusal is None and self.path.endswith("/refunds"):
                self._answer(*_refund(pay, self.path.split("/")[3], json.loads(body)))
                return
            if refusal is not None or self.path != "/v1/payments":
                self._answer(*(refusal or (404, {"code": "P0300", "description": "Not found"})))
                return
            self._answer(*_create(pay, json.loads(body), self.headers.get("Idempotency-Key", "")))

        def do_GET(self) -> None:
            if self.path.startswith("/secure/"):
                self._page(200, _hosted_page(pay.payments[self.path.removeprefix("/secure/")]))
                return
            pay.requests.append(("GET", self.path, dict(self.headers.items()), b""))
            refusal = self._refusal()
            if refusal is None and self.path.endswith("/refunds"):
                made = pay.refunds_made.get(self.path.split("/")[3], [])
                self._answer(200, {"_embedded": {"refunds": made}})
                return
            payment = pay.payments.get(self.path.removeprefix("/v1/payments/"))
            if refusal is None and payment is None:
                refusal = (404, {"code": "P0200", "description": "Not found"})
            self._answer(*(refusal or (200, payment or {})))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pay.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield pay
    finally:
        server.shutdown()
        server.server_close()


def _create(pay: GovukPayServer, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    """A new payment, or the one made before with the same Idempotency-Key."""
    amount = body.get("amount")
    if not isinstance(amount, int) or not 0 < amount <= 10_000_000 or not body.get("return_url"):
        return 422, {"code": "P0102", "field": "amount", "description": "Invalid attribute value: amount"}
    if key and key in pay.by_key:
        return 200, pay.payments[pay.by_key[key]]
    payment_id = secrets.token_hex(13)
    pay.payments[payment_id] = {
        "payment_id": payment_id,
        "amount": amount,
        "reference": body["reference"],
        "description": body["description"],
        "return_url": body["return_url"],
        "language": body.get("language", "en"),
        "state": {"status": "created", "finished": False},
        "_links": {
            "self": {"href": f"{pay.url}/v1/payments/{payment_id}", "method": "GET"},
            "next_url": {"href": f"{pay.url}/secure/{payment_id}", "method": "GET"},
        },
    }
    if key:
        pay.by_key[key] = payment_id
    return 201, pay.payments[payment_id]


def _refund(pay: GovukPayServer, payment_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A refund, if the payment went through and the caller knows what is left of it (412 if not)."""
    payment = pay.payments.get(payment_id)
    if payment is None or payment["state"]["status"] != "success":
        return 404, {"code": "P0700", "description": "Not found"}
    available = payment["amount"] - pay.refunded.get(payment_id, 0)
    if body.get("refund_amount_available") != available:
        return 412, {"code": "P0604", "description": "Refund amount available mismatch"}
    if not 0 < body.get("amount", 0) <= available:
        return 400, {"code": "P0603", "description": "The payment is not available for refund"}
    pay.refunded[payment_id] = pay.refunded.get(payment_id, 0) + body["amount"]
    made = {
        "refund_id": secrets.token_hex(13),
        "amount": body["amount"],
        "status": "submitted",
        "created_date": "2026-12-01",
    }
    pay.refunds_made.setdefault(payment_id, []).append(made)
    return 202, made


def _hosted_page(payment: dict[str, Any]) -> str:
    """The provider's own payment page, where a real one asks for the card: here, a button."""
    return (
        '<!doctype html><html lang="en"><head><title>Pay</title><link rel="icon" href="data:,"></head><body><main>'
        f"<h1>Pay £{payment['amount'] // 100}.{payment['amount'] % 100:02d}</h1>"
        f'<form method="post" action="/secure/{payment["payment_id"]}">'
        '<button name="pay" value="yes">Confirm payment</button>'
        '<button name="pay" value="no">Cancel payment</button></form></main></body></html>'
    )
