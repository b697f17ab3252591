"""A homeowner's share of a shared cost, as residents read it."""

from __future__ import annotations

from django import template

from porch.money.invoices import percentage

register = template.Library()


@register.filter
def share_words(share: str) -> str:
    """4.17% for "4.1667%"; a fraction the housing system wrote is said beside it: 4.17% (1/24)."""
    said = percentage(share)
    return f"{said} ({share})" if "/" in share else said
