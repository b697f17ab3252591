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

import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from porch.money.providers import NotFromProvider, ProviderUnavailable, Reported, Started

logger = logging.getLogger(__name__)

UNFINISHED = frozenset({"created", "started", "submitted", "capturable"})
NOT_PAID = frozenset({"failed", "cancelled", "error"})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """The API never redirects; a redirect would carry the API key elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


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
            raise ProviderUnavailable("GOV.UK Pay's answer had no payment id or payment page") from None

    def report(self, provider_id: str) -> Reported:
        answer = self._call("GET", f"/v1/payments/{urllib.parse.quote(provider_id, safe='')}")
        try:
            return _reported(answer)
        except NotFromProvider as error:  # an answer it does not document: ask again later
            raise _unavailable(f"GOV.UK Pay's answer about {provider_id} was not a payment: {error}") from None

    def callback(self, body: bytes, headers: Mapping[str, str]) -> Reported:
        given = headers.get("Pay-Signature", "")
        expected = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        if not self.webhook_secret or not hmac.compare_digest(given.encode(), expected.encode()):
            raise NotFromProvider("The signature does not match.")
        try:
            message = json.loads(body)
            if message.get("resource_type") != "payment":
                raise NotFromProvider("Not a message about a payment.")
            return _reported(message["resource"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise NotFromProvider("Not a payment message GOV.UK Pay sends.") from None

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None, **extra: str) -> Any:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if "idempotency_key" in extra:
            headers["Idempotency-Key"] = extra["idempotency_key"]
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, headers=headers, method=method)  # noqa: S310 (https checked in settings)
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            error.close()
            raise _unavailable(f"GOV.UK Pay answered {error.code} to {method} {path}") from None
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise _unavailable(f"GOV.UK Pay could not be reached: {error.__class__.__name__}") from None


def _unavailable(why: str) -> ProviderUnavailable:
    logger.warning("payments: %s", why)
    return ProviderUnavailable(why)


def _reported(payment: Mapping[str, Any]) -> Reported:
    """The payment's state in GOV.UK Pay's words, as paid, not paid or not finished."""
    try:
        state = payment["state"]
        status = str(state["status"])
        provider_id = str(payment["payment_id"])
    except (KeyError, TypeError):
        raise NotFromProvider("A payment without an id or a state.") from None
    if status == "success":
        return Reported(provider_id, True, "paid")
    if status in NOT_PAID:
        return Reported(provider_id, False, str(state.get("message") or status)[:200])
    if status in UNFINISHED:
        return Reported(provider_id, None)
    raise NotFromProvider(f"A payment state GOV.UK Pay does not document: {status!r}")
