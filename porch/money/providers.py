"""The card payment provider behind "Pay now" (ADR 0024): one small interface, so a landlord
can use the provider they have a contract with. The resident types their card on the
provider's hosted page, never on Porch's, so no card detail ever reaches Porch.

Two adapters: GOV.UK Pay (porch/money/govuk_pay.py), which many councils and housing
associations use, and a sandbox (porch/money/sandbox.py) that serves the demo; the settings
choose one (porch/money/chosen_provider.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Started:
    """The provider's id for the payment, and its page where the resident pays."""

    provider_id: str
    next_url: str


@dataclass(frozen=True)
class Reported:
    """What the provider says of a payment now: paid (True), not paid (False), or not
    finished yet (None), with its own words for how it ended."""

    provider_id: str
    paid: bool | None
    words: str = ""
    amount_pence: int | None = None  # what the provider says was paid, when it says


class ProviderUnavailable(Exception):
    """The provider could not be reached, timed out or answered with an error of its own:
    nothing was taken, and the resident is asked to try again later."""


class NotFromProvider(Exception):
    """A callback whose signature does not match, or that is not a payment message at all."""


class CardProvider(Protocol):
    name: str

    def start(self, *, key: str, amount_pence: int, reference: str, description: str, return_url: str) -> Started:
        """Ask for a payment page. `key` is Porch's own id for the payment, sent as the
        idempotency key: asking twice with it gives the same payment, never a second one."""
        ...

    def report(self, provider_id: str) -> Reported:
        """Ask where a payment stands (the resident came back from the provider's page)."""
        ...

    def callback(self, body: bytes, headers: Mapping[str, str]) -> Reported:
        """Read a message the provider sent on its own, if its signature is right."""
        ...

    def refund(self, provider_id: str, *, amount_pence: int, available_pence: int) -> str:
        """Give back part or all of a payment; returns the provider's id for the refund.
        `available_pence` is what Porch believes is left to refund: the provider refuses the
        refund if it disagrees, so two refunds can never overlap."""
        ...

    def refunds(self, provider_id: str) -> list[tuple[str, int]]:
        """The refunds the provider has made on a payment: (its id, pence), failed ones left out."""
        ...


@dataclass(frozen=True)
class BankDetails:
    """What a resident types to set up a Direct Debit. Passed straight to the provider and
    never kept: not in the database, the session, the logs or a page sent back."""

    holder_name: str
    sort_code: str  # six digits
    account_number: str  # eight digits

    def __repr__(self) -> str:  # never printed whole, in a traceback or a log
        return f"BankDetails(account ending {self.account_number[-2:]})"


@dataclass(frozen=True)
class MandateStarted:
    provider_id: str
    account_ending: str  # the last two digits, as the provider confirms them


@dataclass(frozen=True)
class MandateNews:
    """A provider's message that a mandate is active (True), ended or failed (False)."""

    provider_id: str
    active: bool
    words: str = ""


class DirectDebitProvider(Protocol):
    name: str

    def mandate_start(self, *, key: str, bank: BankDetails, reference: str, email: str) -> MandateStarted:
        """Set up a mandate on the bank account. `key` makes asking twice one mandate."""
        ...

    def mandate_end(self, provider_id: str) -> None:
        """Cancel a mandate (the resident set up another one, or asked to stop)."""
        ...

    def callback(self, body: bytes, headers: Mapping[str, str]) -> list[MandateNews]:
        """Read the provider's message about mandates, if its signature is right."""
        ...
