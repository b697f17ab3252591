"""A rent account for a synthetic test household (test residents, the isolation check,
canaries): the household's alone, its transactions carrying the marker, so the marker on any
other login is a leak. The feed's export leaves test tenancies out."""

from __future__ import annotations

import datetime
from uuid import uuid4

from django.utils import timezone

from porch.housing.models import Membership, Tenancy
from porch.money.models import (
    AccountTransaction,
    DirectDebitMandate,
    Frequency,
    Payment,
    PaymentArrangement,
    RentAccount,
    ServiceChargeInvoice,
)

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
    lead = tenancy.memberships.filter(role__in=Membership.ACCOUNT_ROLES).order_by("start_date", "id").first()
    if lead is not None:  # a card payment of theirs, so the payment pages are tried too
        Payment.objects.create(
            reference=f"PAY-T{uuid4().hex[:8].upper()}",
            attempt_key=uuid4(),
            account=account,
            tenancy=tenancy,
            paid_by_id=lead.person_id,
            amount_pence=WEEKLY_PENCE,
            status=Payment.Status.PAID,
            provider="sandbox",
            provider_id=f"sandbox-test-{uuid4()}",
            finished_at=timezone.now(),
            is_test=True,
        )


def probe_ids(tenancy: Tenancy) -> list[str]:
    """The household's accounts, their arrangements, card payments, Direct Debits and invoices, for the
    isolation check to try as another household."""
    found = [
        model.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)
        for model in (RentAccount, PaymentArrangement, Payment, DirectDebitMandate, ServiceChargeInvoice)
    ]
    return [str(code) for codes in found for code in codes]
