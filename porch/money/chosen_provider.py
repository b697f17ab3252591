"""The card payment provider the settings name (PAYMENTS_PROVIDER), or none."""

from __future__ import annotations

from django.conf import settings

from porch.money.govuk_pay import GovukPay
from porch.money.providers import CardProvider, ProviderUnavailable
from porch.money.sandbox import Sandbox


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
