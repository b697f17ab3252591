"""Accounts for the test cast, written as the housing record feed would leave them."""

from __future__ import annotations

import datetime
from itertools import count
from typing import Any
from uuid import uuid4

from django.utils import timezone

from conftest import make_staff
from porch.accounts.models import User
from porch.core.roles import StaffRole
from porch.housing.models import Tenancy
from porch.money.models import AccountTransaction, DirectDebitMandate, Frequency, Payment, Refund, RentAccount
from porch.money.sandbox import Sandbox

_numbers = count(1)


def an_account(tenancy: Tenancy, *history: tuple[str, int], balance: int | None = None) -> RentAccount:
    """A weekly rent account whose transactions are (description, pence), oldest first, one a
    day up to yesterday; its balance their sum unless given."""
    amounts = [pence for _, pence in history]
    account = RentAccount.objects.create(
        hms_reference=f"RA-{next(_numbers)}",
        tenancy=tenancy,
        kind=RentAccount.Kind.RENT,
        balance_pence=sum(amounts) if balance is None else balance,
        balance_at=timezone.now(),
        charge_pence=9840,
        charge_every=Frequency.WEEK,
        next_due_pence=9840,
        next_due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AccountTransaction.objects.bulk_create(
        AccountTransaction(
            hms_reference=f"TX-{next(_numbers)}",
            account=account,
            tenancy=tenancy,
            posted_on=yesterday - datetime.timedelta(days=len(history) - 1 - n),
            kind=AccountTransaction.Kind.CHARGE if pence > 0 else AccountTransaction.Kind.PAYMENT,
            description=description,
            amount_pence=pence,
        )
        for n, (description, pence) in enumerate(history)
    )
    return account


def ashton_account(cast: Any) -> str:
    """The Ashtons' rent account (Alice and Bob hold it; Amy is a household member)."""
    return str(an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment, thank you", -9840)).uuid)


def ashton_payment(cast: Any) -> str:
    """A card payment into the Ashtons' account that went through, made by Alice."""
    account = RentAccount.objects.get(uuid=ashton_account(cast))
    payment = Payment.objects.create(
        reference=f"PAY-T{next(_numbers):07d}",
        attempt_key=uuid4(),
        account=account,
        tenancy=account.tenancy,
        paid_by=cast["ashton"].people["alice"],
        amount_pence=2500,
        status=Payment.Status.PAID,
        provider="sandbox",
        provider_id=f"sandbox-{uuid4()}",
        finished_at=timezone.now(),
    )
    return str(payment.uuid)


def sandbox_page(cast: Any) -> str:
    """The demo provider's pretend page for a payment of Alice's it was asked for."""
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    key = str(payment.uuid)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.IN_PROGRESS, provider_id=f"sandbox-{key}")
    Sandbox().start(key=key, amount_pence=2500, reference=payment.reference, description="Rent", return_url="/rent/")
    return key


def ashton_mandate(cast: Any) -> str:
    """An active Direct Debit from Alice's bank account (ending 45) into the Ashtons' account."""
    account = RentAccount.objects.get(uuid=ashton_account(cast))
    mandate = DirectDebitMandate.objects.create(
        attempt_key=uuid4(),
        account=account,
        tenancy=account.tenancy,
        requested_by=cast["ashton"].people["alice"],
        status=DirectDebitMandate.Status.ACTIVE,
        provider="gocardless",
        provider_id=f"MD{next(_numbers):010d}",
        account_ending="45",
        collection_day=3,
        amount_pence=42640,
    )
    return str(mandate.uuid)


def ashton_account_with_mandate(cast: Any) -> str:
    return str(DirectDebitMandate.objects.get(uuid=ashton_mandate(cast)).account.uuid)


def income_officer(cast: Any) -> User:
    """The cast has no income officer: one is added (cast.staff["income"], organisation-wide)."""
    if "income" not in cast.staff:
        cast.staff["income"] = make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    return cast.staff["income"]


def with_income_officer(cast: Any) -> str:
    """For the route sweep, pages with no id: add the income officer, fill nothing."""
    income_officer(cast)
    return ""


def ashton_account_for_staff(cast: Any) -> str:
    """The Ashtons' rent account, with the income officer added to read it."""
    income_officer(cast)
    return ashton_account(cast)


def ashton_payment_for_staff(cast: Any) -> str:
    """Alice's card payment, with the income officer added to look it up."""
    income_officer(cast)
    return ashton_payment(cast)


def ashton_refund(cast: Any) -> str:
    """A refund of Alice's card payment, proposed by an income officer from outside the cast
    (so the cast's income officer is the second person who may decide it)."""
    payment = Payment.objects.get(uuid=ashton_payment_for_staff(cast))
    proposer = make_staff("income.proposer@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    refund = Refund.objects.create(
        payment=payment, tenancy=payment.tenancy, amount_pence=500, reason="Paid twice", proposed_by=proposer
    )
    return str(refund.uuid)
