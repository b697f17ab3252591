"""Pennies as residents read them: £1,234.56, and what a balance means in words."""

from __future__ import annotations

from django import template

from porch.money import arrears
from porch.money.models import RentAccount

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """£1,234.56 for 123456 (and for -123456: the sign is said in words, never a minus)."""
    if pence is None:
        return ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"£{whole:,}.{part:02d}"


@register.filter
def balance_words(pence: int) -> str:
    """The balance said plainly, from the resident's side."""
    if pence > 0:
        return f"You owe {pounds(pence)}: your account is in arrears"
    if pence < 0:
        return f"You are {pounds(pence)} in credit: we owe you this"
    return "Your account is up to date: you owe nothing"


@register.filter
def running_words(pence: int) -> str:
    if pence > 0:
        return f"{pounds(pence)} owed"
    if pence < 0:
        return f"{pounds(pence)} in credit"
    return "£0.00, nothing owed"


@register.filter
def weeks_owed(account: RentAccount) -> str | None:
    """The weeks of the regular charge an account owes, to a tenth (porch.money.arrears)."""
    return arrears.weeks_owed(account)
