"""GoCardless, as its public API documents it (https://developer.gocardless.com/api-reference/),
for Direct Debit mandates on the Bacs scheme:

- a customer (POST /customers), their bank account (POST /customer_bank_accounts, whose answer
  gives only `account_number_ending`), and a mandate on it (POST /mandates), each with an
  `Idempotency-Key` so a retry makes nothing twice (a repeat is answered 409 with the id of
  what the first made); cancelling one: POST /mandates/{id}/actions/cancel;
- every request carries the access token as a bearer token and `GoCardless-Version`;
- webhooks: `{"events": [...]}`, signed with HMAC-SHA256 of the body in `Webhook-Signature`.

Tested against a loopback server speaking the same API (porch/money/tests/gocardless_server.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.views.decorators.debug import sensitive_variables

from porch.money.http_json import call_json, signed_by, unavailable
from porch.money.providers import BankDetails, MandateNews, MandateStarted, NotFromProvider

VERSION = "2015-07-06"
ACTIVE = frozenset({"active", "reinstated"})
OVER = frozenset({"failed", "cancelled", "expired", "blocked", "consumed"})


class DetailsRefused(Exception):
    """The provider (or the bank behind it) refused the bank details: the resident can check them."""


class GoCardless:
    name = "gocardless"

    def __init__(self, *, url: str, access_token: str, webhook_secret: str, timeout: int) -> None:
        self.url = url.rstrip("/")
        self.access_token = access_token
        self.webhook_secret = webhook_secret
        self.timeout = timeout

    @sensitive_variables()  # bank details pass through here: never in an error report
    def mandate_start(self, *, key: str, bank: BankDetails, reference: str, email: str) -> MandateStarted:
        given, _, family = bank.holder_name.rpartition(" ")
        customer = {"given_name": given or family, "family_name": family, "country_code": "GB"}
        if email:
            customer["email"] = email
        customer_id = self._create("customers", customer, f"{key}-customer")["id"]
        account = self._create(
            "customer_bank_accounts",
            {
                "account_holder_name": bank.holder_name,
                "account_number": bank.account_number,
                "branch_code": bank.sort_code,
                "country_code": "GB",
                "links": {"customer": customer_id},
            },
            f"{key}-bank-account",
        )
        mandate = self._create(
            "mandates",
            {
                "scheme": "bacs",
                "metadata": {"porch_reference": reference},
                "links": {"customer_bank_account": account["id"]},
            },
            f"{key}-mandate",
        )
        ending = str(account.get("account_number_ending") or bank.account_number)[-2:]  # as the bank confirms it
        return MandateStarted(str(mandate["id"]), ending)

    def mandate_end(self, provider_id: str) -> None:
        status, answer = self._call("POST", f"/mandates/{provider_id}/actions/cancel", {"data": {}})
        if status == 422 and _error_type(answer) == "invalid_state":
            return  # cancelled or failed already: nothing left to end
        if not 200 <= status < 300:
            raise unavailable(f"GoCardless answered {status} to cancelling {provider_id}")

    def callback(self, body: bytes, headers: Mapping[str, str]) -> list[MandateNews]:
        if not signed_by(self.webhook_secret, body, headers.get("Webhook-Signature", "")):
            raise NotFromProvider("The signature does not match.")
        try:
            events = json.loads(body)["events"]
            return [news for event in events if (news := _mandate_news(event)) is not None]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise NotFromProvider("Not a message GoCardless sends.") from None

    @sensitive_variables()  # bank details pass through here: never in an error report
    def _create(self, resource: str, fields: Mapping[str, Any], key: str) -> dict[str, Any]:
        """A new resource, or (asked again with the same key) the one the first request made."""
        status, answer = self._call("POST", f"/{resource}", {resource: fields}, key)
        if status == 409 and _error_type(answer) == "invalid_state":
            made = _conflicting_id(answer)
            if made:
                status, answer = self._call("GET", f"/{resource}/{made}")
        if status == 422:
            raise DetailsRefused(_why(answer))
        if not 200 <= status < 300 or not isinstance(answer.get(resource), dict):
            raise unavailable(f"GoCardless answered {status} to creating {resource}")
        return dict(answer[resource])

    @sensitive_variables()  # bank details pass through here: never in an error report
    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None, key: str = "") -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.access_token}", "GoCardless-Version": VERSION}
        if key:
            headers["Idempotency-Key"] = key
        return call_json(method, f"{self.url}{path}", headers=headers, body=body, timeout=self.timeout)


def _mandate_news(event: Mapping[str, Any]) -> MandateNews | None:
    if event.get("resource_type") != "mandates":
        return None
    action = str(event["action"])
    provider_id = str(event["links"]["mandate"])
    if action in ACTIVE:
        return MandateNews(provider_id, True, action)
    if action in OVER:
        words = (event.get("details") or {}).get("description") or action
        return MandateNews(provider_id, False, str(words)[:200])
    return None  # created, submitted and the like: still being set up


def _error_type(answer: Any) -> str:
    return str((answer.get("error") or {}).get("type", "")) if isinstance(answer, dict) else ""


def _conflicting_id(answer: Any) -> str:
    for error in (answer.get("error") or {}).get("errors", []):
        found = (error.get("links") or {}).get("conflicting_resource_id")
        if found:
            return str(found)
    return ""


def _why(answer: Any) -> str:
    """The first reason the provider gave, for the resident: "account_number is invalid"."""
    errors = (answer.get("error") or {}).get("errors", []) if isinstance(answer, dict) else []
    for error in errors:
        field, message = error.get("field", ""), error.get("message", "")
        if message:
            return f"{field.replace('_', ' ')} {message}".strip()
    return "the bank details were not accepted"
