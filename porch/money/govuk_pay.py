"""GOV.UK Pay, as its public API documents it (https://docs.payments.service.gov.uk/):

- create a payment: POST /v1/payments with the amount in pence, a reference, a description
  and the return address, the API key as a bearer token and Porch's id for the payment as
  the Idempotency-Key; the answer's `_links.next_url` is the page where the resident pays;
- where a payment stands: GET /v1/payments/{payment_id}, whose `state.status` is created,
  started, submitted or capturable (not finished), success, or failed, cancelled or error;
- webhooks: a JSON message about a payment, whose `Pay-Signature` header is the HMAC-SHA256
  of the body's exact bytes, keyed with the webhook's signing secret, in lower-case hex.

Tested against a loopback server speaking the same API (porch/money/tests/govuk_pay_server.py).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from porch.money.http_json import call_json, signed_by, unavailable
from porch.money.providers import NotFromProvider, Reported, Started

UNFINISHED = frozenset({"created", "started", "submitted", "capturable"})
NOT_PAID = frozenset({"failed", "cancelled", "error"})


class GovukPay:
    name = "govuk_pay"

    def __init__(self, *, url: str, api_key: str, webhook_secret: str, timeout: int) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.timeout = timeout

    def start(self, *, key: str, amount_pence: int, reference: str, description: str, return_url: str) -> Started:
        body = {
            "amount": amount_pence,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "language": "en",
        }
        answer = self._call("POST", "/v1/payments", body, idempotency_key=key)
        try:
            return Started(str(answer["payment_id"]), str(answer["_links"]["next_url"]["href"]))
        except (KeyError, TypeError):
            raise unavailable("GOV.UK Pay's answer had no payment id or payment page") from None

    def report(self, provider_id: str) -> Reported:
        answer = self._call("GET", f"/v1/payments/{urllib.parse.quote(provider_id, safe='')}")
        try:
            return _reported(answer)
        except NotFromProvider as error:  # an answer it does not document: ask again later
            raise unavailable(f"GOV.UK Pay's answer about {provider_id} was not a payment: {error}") from None

    def callback(self, body: bytes, headers: Mapping[str, str]) -> Reported:
        if not signed_by(self.webhook_secret, body, headers.get("Pay-Signature", "")):
            raise NotFromProvider("The signature does not match.")
        try:
            message = json.loads(body)
            if message.get("resource_type") != "payment":
                raise NotFromProvider("Not a message about a payment.")
            return _reported(message["resource"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise NotFromProvider("Not a payment message GOV.UK Pay sends.") from None

    def refund(self, provider_id: str, *, amount_pence: int, available_pence: int) -> str:
        path = f"/v1/payments/{urllib.parse.quote(provider_id, safe='')}/refunds"
        answer = self._call("POST", path, {"amount": amount_pence, "refund_amount_available": available_pence})
        if not isinstance(answer, dict) or answer.get("status") not in ("submitted", "success"):
            raise unavailable(f"GOV.UK Pay did not take the refund on {provider_id}")
        return str(answer.get("refund_id", ""))

    def refunds(self, provider_id: str) -> list[tuple[str, int]]:
        answer = self._call("GET", f"/v1/payments/{urllib.parse.quote(provider_id, safe='')}/refunds")
        try:
            found = answer["_embedded"]["refunds"]
            return [(str(r["refund_id"]), int(r["amount"])) for r in found if r.get("status") != "error"]
        except (KeyError, TypeError, ValueError):
            raise unavailable(f"GOV.UK Pay's list of refunds on {provider_id} could not be read") from None

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None, **extra: str) -> Any:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        if "idempotency_key" in extra:
            headers["Idempotency-Key"] = extra["idempotency_key"]
        status, answer = call_json(method, f"{self.url}{path}", headers=headers, body=body, timeout=self.timeout)
        if not 200 <= status < 300:
            raise unavailable(f"GOV.UK Pay answered {status} to {method} {path}")
        return answer


def _reported(payment: Mapping[str, Any]) -> Reported:
    """The payment's state in GOV.UK Pay's words, as paid, not paid or not finished."""
    try:
        state = payment["state"]
        status = str(state["status"])
        provider_id = str(payment["payment_id"])
    except (KeyError, TypeError):
        raise NotFromProvider("A payment without an id or a state.") from None
    amount = payment.get("amount")
    if status == "success":
        return Reported(provider_id, True, "paid", amount if isinstance(amount, int) else None)
    if status in NOT_PAID:
        return Reported(provider_id, False, str(state.get("message") or status)[:200])
    if status in UNFINISHED:
        return Reported(provider_id, None)
    raise NotFromProvider(f"A payment state GOV.UK Pay does not document: {status!r}")
