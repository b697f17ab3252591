"""Service-charge invoices for the test cast, written as the housing record feed would leave them."""

from __future__ import annotations

import datetime
from itertools import count
from typing import Any

from django.utils import timezone

from porch.housing.models import Tenancy
from porch.money.models import Frequency, InvoiceLine, RentAccount, ServiceChargeInvoice

_numbers = count(1)
Heading = InvoiceLine.Heading
# A half-year of Dan's block's costs: (heading, what for, the block's cost, his share, his amount).
BREAKDOWN = (
    (Heading.COMMON_REPAIRS, "Door entry panel replaced", 240000, "1/24", 10000),
    (Heading.CLEANING, "Stair cleaning, weekly", 312000, "1/24", 13000),
    (Heading.INSURANCE, "Buildings insurance", 600000, "4.5%", 27000),
    (Heading.MANAGEMENT_FEE, "Managing the block", 120000, "1/24", 5000),
)
BREAKDOWN_TOTAL = 55000


def a_service_charge_account(tenancy: Tenancy) -> RentAccount:
    return RentAccount.objects.create(
        hms_reference=f"SC-{next(_numbers)}",
        tenancy=tenancy,
        kind=RentAccount.Kind.SERVICE_CHARGE,
        balance_pence=BREAKDOWN_TOTAL,
        balance_at=timezone.now(),
        charge_pence=2115,
        charge_every=Frequency.WEEK,
    )


def an_invoice(
    account: RentAccount,
    *lines: tuple[str, str, int, str, int],
    starts: datetime.date = datetime.date(2026, 4, 1),
) -> ServiceChargeInvoice:
    """A half-year's invoice from `starts`, issued a month before and due on its first day."""
    invoice = ServiceChargeInvoice.objects.create(
        hms_reference=f"SCI-{next(_numbers)}",
        account=account,
        tenancy_id=account.tenancy_id,
        period_from=starts,
        period_to=(starts + datetime.timedelta(days=190)).replace(day=1) - datetime.timedelta(days=1),
        issued_on=(starts - datetime.timedelta(days=1)).replace(day=1),
        due_on=starts,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            hms_reference=f"{invoice.hms_reference}/{number}",
            invoice=invoice,
            tenancy_id=account.tenancy_id,
            heading=heading,
            description=description,
            block_cost_pence=cost,
            share=share,
            amount_pence=amount,
        )
        for number, (heading, description, cost, share, amount) in enumerate(lines or BREAKDOWN, start=1)
    )
    return invoice


def dunn_invoice(cast: Any) -> str:
    """An invoice on Dan's service-charge account (he is the homeowner of Flat 3, Ash House)."""
    return str(an_invoice(a_service_charge_account(cast["dunn"].tenancy)).uuid)
