"""Demo: Dan, the leaseholder of Flat 3, Ashdown House, has his service-charge invoices for the
half-year now running and the one before (service charges run April to September and October
to March, invoiced a month ahead and due on the first day), each broken down into the block's
shared costs and his share of them.

Each invoice comes to 26 weeks of his account's weekly charge, so the invoices and the weekly
charges on his account agree. Written directly, like the rest of the demo data;
deterministic, and a second call adds nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from porch.housing.cast import demo_email
from porch.housing.models import Membership, Property
from porch.money.invoices import share_of
from porch.money.models import InvoiceLine, RentAccount, ServiceChargeInvoice

Heading = InvoiceLine.Heading
WEEKS = 26
# Each half-year's costs: (heading, what for, its part of the invoice in hundredths). The older
# half-year had the roof gutters cleared; the one now running, a new door entry panel.
COSTS = (
    (
        (Heading.COMMON_REPAIRS, "Repairs to shared areas: stair lighting, roof gutters cleared", 28),
        (Heading.CLEANING, "Stair, landing and bin store cleaning, weekly", 20),
        (Heading.INSURANCE, "Buildings insurance for the block, shared by floor area", 31),
        (Heading.MANAGEMENT_FEE, "Managing the block: contracts, inspections, accounts", 15),
        (Heading.OTHER, "Electricity for the stair and outside lights", 6),
    ),
    (
        (Heading.COMMON_REPAIRS, "Repairs to shared areas: new door entry panel, stair lighting", 33),
        (Heading.CLEANING, "Stair, landing and bin store cleaning, weekly", 18),
        (Heading.INSURANCE, "Buildings insurance for the block, shared by floor area", 29),
        (Heading.MANAGEMENT_FEE, "Managing the block: contracts, inspections, accounts", 14),
        (Heading.OTHER, "Electricity for the stair and outside lights", 6),
    ),
)


def demo_invoices() -> None:
    owner = Membership.objects.current().account_holders().filter(person__email=demo_email("dan")).first()
    if owner is None:
        return
    account = RentAccount.objects.filter(tenancy_id=owner.tenancy_id, kind=RentAccount.Kind.SERVICE_CHARGE).first()
    if account is None or ServiceChargeInvoice.objects.filter(account=account).exists():
        return
    homes = Property.objects.filter(block_id=owner.tenancy.property.block_id).count()
    running = _half_year_start(timezone.localdate())
    for number, (starts, costs) in enumerate(zip((_half_year_before(running), running), COSTS, strict=True), 1):
        _invoice(account, number, starts, costs, homes)


def _invoice(
    account: RentAccount,
    number: int,
    starts: datetime.date,
    costs: tuple[tuple[str, str, int], ...],
    homes: int,
) -> None:
    ends = _half_year_after(starts) - datetime.timedelta(days=1)
    issued = (starts - datetime.timedelta(days=1)).replace(day=1)
    invoice = ServiceChargeInvoice.objects.create(
        hms_reference=f"SCI-{account.hms_reference[3:]}-{number}",
        account=account,
        tenancy_id=account.tenancy_id,
        period_from=starts,
        period_to=ends,
        issued_on=issued,
        due_on=starts,
    )
    total = WEEKS * account.charge_pence
    amounts = [total * part // 100 for _, _, part in costs]
    amounts[-1] += total - sum(amounts)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            hms_reference=f"{invoice.hms_reference}/{line}",
            invoice=invoice,
            tenancy_id=account.tenancy_id,
            heading=heading,
            description=description,
            block_cost_pence=_whole_cost(amount, share := _share(heading, homes)),
            share=share,
            amount_pence=amount,
        )
        for line, ((heading, description, _), amount) in enumerate(zip(costs, amounts, strict=True), 1)
    )


def _share(heading: str, homes: int) -> str:
    """Dan's share as his lease writes it: one home's (1/N), but for the insurance, shared by
    floor area, a percentage (his flat is a little larger than most: 108/N %)."""
    if heading == Heading.INSURANCE:
        return f"{(Decimal(108) / homes).quantize(Decimal('0.01')).normalize():f}%"
    return f"1/{homes}"


def _whole_cost(amount: int, share: str) -> int:
    """The block's cost that this share of comes to `amount`: the nearest penny to amount /
    share is within half a penny times the share (at most the whole) of it, so it agrees."""
    return round(Fraction(amount) / share_of(share))


def _half_year_start(day: datetime.date) -> datetime.date:
    """The 1 April or 1 October on or before the day."""
    if day.month >= 10:
        return datetime.date(day.year, 10, 1)
    if day.month >= 4:
        return datetime.date(day.year, 4, 1)
    return datetime.date(day.year - 1, 10, 1)


def _half_year_before(starts: datetime.date) -> datetime.date:
    return _half_year_start(starts - datetime.timedelta(days=1))


def _half_year_after(starts: datetime.date) -> datetime.date:
    return datetime.date(starts.year, 10, 1) if starts.month == 4 else datetime.date(starts.year + 1, 4, 1)
