"""Pretend providers for the demo (DEBUG only). The card payment one (PAYMENTS_PROVIDER=sandbox):
its "hosted page" is a page of Porch's own that asks no card details, only whether the
payment goes through. It keeps what it knows in the cache, as a provider keeps it on its side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.urls import reverse

from porch.money.providers import BankDetails, MandateNews, MandateStarted, NotFromProvider, Reported, Started

DAY = 24 * 60 * 60


def _key(provider_id: str) -> str:
    return f"money:sandbox:{provider_id}"


class Sandbox:
    name = "sandbox"

    def start(self, *, key: str, amount_pence: int, reference: str, description: str, return_url: str) -> Started:
        provider_id = f"sandbox-{key}"
        if cache.get(_key(provider_id)) is None:
            state = {"amount_pence": amount_pence, "reference": reference, "return_url": return_url, "paid": None}
            cache.set(_key(provider_id), state, DAY)
        return Started(provider_id, reverse("money:sandbox_pay", args=[key]))

    def report(self, provider_id: str) -> Reported:
        state = sandbox_payment(provider_id) or {}
        paid = state.get("paid")
        return Reported(provider_id, paid, "" if paid is None else "paid" if paid else "cancelled on the pretend page")

    def callback(self, body: bytes, headers: Mapping[str, str]) -> Reported:
        raise NotFromProvider("The sandbox sends no callbacks.")

    def refund(self, provider_id: str, *, amount_pence: int, available_pence: int) -> str:
        made = f"{provider_id}-refund-{available_pence}"
        state = sandbox_payment(provider_id)
        if state is not None:
            state["refunds"] = [*state.get("refunds", []), (made, amount_pence)]
            cache.set(_key(provider_id), state, DAY)
        return made

    def refunds(self, provider_id: str) -> list[tuple[str, int]]:
        return [(made, pence) for made, pence in (sandbox_payment(provider_id) or {}).get("refunds", [])]


def sandbox_payment(provider_id: str) -> dict[str, Any] | None:
    found = cache.get(_key(provider_id))
    return found if isinstance(found, dict) else None


def sandbox_answer(provider_id: str, *, paid: bool) -> str | None:
    """The pretend page's answer: paid or cancelled, once. Returns where to send the resident."""
    state = sandbox_payment(provider_id)
    if state is None:
        return None
    if state["paid"] is None:
        state["paid"] = paid
        cache.set(_key(provider_id), state, DAY)
    return str(state["return_url"])


class SandboxDirectDebit:
    """The demo's Direct Debit provider: takes any well-formed bank details, keeps none, and
    sends no messages (so a demo mandate stays "being set up")."""

    name = "sandbox"

    def mandate_start(self, *, key: str, bank: BankDetails, reference: str, email: str) -> MandateStarted:
        return MandateStarted(f"sandbox-{key}", bank.account_number[-2:])

    def mandate_end(self, provider_id: str) -> None:
        return None

    def callback(self, body: bytes, headers: Mapping[str, str]) -> list[MandateNews]:
        raise NotFromProvider("The sandbox sends no callbacks.")
