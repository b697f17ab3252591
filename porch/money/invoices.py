"""Homeowners' service-charge invoices (ADR 0025): a share of the block's costs, written as the
housing system wrote it, and the reads of invoices, each audited.

A share is a fraction ("1/24") or a percentage ("4.1667%"), read exactly (never through a
float). An owner's amount agrees with its share when it is the block's cost times the share
to the nearest penny, whichever way the housing system rounds."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.http import HttpRequest

from porch.core.actor import Actor
from porch.money.kinds import SERVICE_CHARGE_INVOICE
from porch.money.models import InvoiceLine, ServiceChargeInvoice
from porch.money.services import records_shown

_FRACTION = re.compile(r"([0-9]{1,6})/([0-9]{1,6})")
_PERCENTAGE = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,6})?)%")
SHARE_SHAPE = "Write the share as a fraction like 1/24 or a percentage like 4.1667%."


def share_of(text: str) -> Fraction:
    """The share "1/24" or "4.1667%" stands for. Raises ValueError with words for the person
    fixing the file."""
    squeezed = written(text)
    if found := _FRACTION.fullmatch(squeezed):
        if int(found[2]) == 0:
            raise ValueError(SHARE_SHAPE)
        share = Fraction(int(found[1]), int(found[2]))
    elif found := _PERCENTAGE.fullmatch(squeezed):
        share = Fraction(Decimal(found[1])) / 100
    else:
        raise ValueError(SHARE_SHAPE)
    if not 0 < share <= 1:
        raise ValueError("A share is more than nothing and at most the whole cost (1/1, or 100%).")
    return share


def written(text: str) -> str:
    """The share as written, without spaces: what is kept and shown beside the percentage."""
    return "".join(text.split())


def share_amount(block_cost_pence: int, share: Fraction) -> int:
    """The block's cost times the share, to the nearest penny (a half penny up, away from 0)."""
    exact = block_cost_pence * share
    whole = math.floor(abs(exact) + Fraction(1, 2))
    return whole if exact >= 0 else -whole


def share_agrees(block_cost_pence: int, share: Fraction, amount_pence: int) -> bool:
    """Less than a penny from the exact share: rounded up, down or to the nearest, all agree."""
    return abs(block_cost_pence * share - amount_pence) < 1


def percentage(text: str) -> str:
    """A share as a percentage to two places, without trailing noughts: 4.17%, 12.5%, 25%."""
    share = share_of(text) * 100
    places = (Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{places:f}".rstrip("0").rstrip(".") + "%"


def invoice_total(lines: Sequence[InvoiceLine]) -> int:
    """What the invoice asks for: the sum of the owner's shares, never a figure kept apart."""
    return sum(line.amount_pence for line in lines)


def invoices_shown(
    *, actor: Actor, invoices: Sequence[ServiceChargeInvoice], request: HttpRequest, what: str = "invoice"
) -> None:
    """Record a read of invoices: one row per invoice and per account holder now."""
    records_shown(actor=actor, kind=SERVICE_CHARGE_INVOICE, records=invoices, request=request, what=what)
