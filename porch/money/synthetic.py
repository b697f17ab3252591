"""A rent account for a synthetic test household (test residents, the isolation check,
canaries): the household's alone, its transactions carrying the marker, so the marker on any
other login is a leak. The feed's export leaves test tenancies out."""

from __future__ import annotations

import datetime
from uuid import uuid4

from django.utils import timezone

from porch.housing.models import Tenancy
from porch.money.models import AccountTransaction, Frequency, PaymentArrangement, RentAccount, ServiceChargeInvoice

WEEKLY_PENCE = 10000


def synthetic_accounts_create(tenancy: Tenancy, marker: str) -> None:
    today = timezone.localdate()
    account = RentAccount.objects.create(
        hms_reference=f"TEST-{uuid4().hex[:20]}",
        tenancy=tenancy,
        kind=RentAccount.Kind.RENT,
        balance_pence=WEEKLY_PENCE,
        balance_at=timezone.now(),
        charge_pence=WEEKLY_PENCE,
        charge_every=Frequency.WEEK,
    )
    AccountTransaction.objects.create(
        hms_reference=f"TEST-{uuid4().hex[:20]}",
        account=account,
        tenancy=tenancy,
        posted_on=max(tenancy.start_date, today - datetime.timedelta(days=7)),
        kind=AccountTransaction.Kind.CHARGE,
        description=f"Test rent for a test household only. {marker}",
        amount_pence=WEEKLY_PENCE,
    )


def probe_ids(tenancy: Tenancy) -> list[str]:
    """The household's accounts, their arrangements and invoices, for the isolation check to try
    as another household."""
    accounts = RentAccount.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)
    arrangements = PaymentArrangement.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)
    invoices = ServiceChargeInvoice.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)
    return [str(code) for code in [*accounts, *arrangements, *invoices]]
