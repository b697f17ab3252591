"""The providers the settings name: for card payments (PAYMENTS_PROVIDER) and for Direct Debit
(DIRECT_DEBIT_PROVIDER), or none."""

from __future__ import annotations

from django.conf import settings

from porch.money.gocardless import GoCardless
from porch.money.govuk_pay import GovukPay
from porch.money.providers import CardProvider, DirectDebitProvider, ProviderUnavailable
from porch.money.sandbox import Sandbox, SandboxDirectDebit


def payments_on() -> bool:
    return bool(settings.PAYMENTS_PROVIDER)


def provider() -> CardProvider:
    """The adapter the settings name (PAYMENTS_PROVIDER)."""
    if settings.PAYMENTS_PROVIDER == "govuk_pay":
        return GovukPay(
            url=settings.GOVUK_PAY_API_URL,
            api_key=settings.GOVUK_PAY_API_KEY,
            webhook_secret=settings.GOVUK_PAY_WEBHOOK_SECRET,
            timeout=settings.PAYMENTS_TIMEOUT_SECONDS,
        )
    if settings.PAYMENTS_PROVIDER == "sandbox":
        return Sandbox()
    raise ProviderUnavailable("Online payments are not set up (PAYMENTS_PROVIDER is empty).")


def direct_debits_on() -> bool:
    return bool(settings.DIRECT_DEBIT_PROVIDER)


def direct_debit_provider() -> DirectDebitProvider:
    """The Direct Debit adapter the settings name (DIRECT_DEBIT_PROVIDER)."""
    if settings.DIRECT_DEBIT_PROVIDER == "gocardless":
        return GoCardless(
            url=settings.GOCARDLESS_API_URL,
            access_token=settings.GOCARDLESS_ACCESS_TOKEN,
            webhook_secret=settings.GOCARDLESS_WEBHOOK_SECRET,
            timeout=settings.PAYMENTS_TIMEOUT_SECONDS,
        )
    if settings.DIRECT_DEBIT_PROVIDER == "sandbox":
        return SandboxDirectDebit()
    raise ProviderUnavailable("Direct Debit is not set up (DIRECT_DEBIT_PROVIDER is empty).")
