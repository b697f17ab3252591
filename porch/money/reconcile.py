"""Card payments set against the housing system's record of them, for the income team:
what was paid here but has not reached the account, what reached the account but was not
paid here (or not for that amount), and what never finished. Test households are left out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from porch.core.actor import Actor
from porch.money.models import AccountTransaction, Payment

# Posted within this long is on time: the housing system posts card payments daily.
POSTING_GRACE = datetime.timedelta(days=3)
# A payment page the resident never finished has expired at the provider long before this.
UNFINISHED_AFTER = datetime.timedelta(hours=24)
# Each list stops here; the page says how many more there are.
MOST = 100


@dataclass(frozen=True)
class Mismatch:
    transaction: AccountTransaction
    payment: Payment | None  # None: no payment here has the reference


@dataclass(frozen=True)
class Reconciliation:
    not_posted: list[Payment]
    mismatched: list[Mismatch]
    unfinished: list[Payment]


def reconciliation(actor: Actor, now: datetime.datetime | None = None) -> Reconciliation:
    now = now or timezone.now()
    payments = Payment.objects.visible_to(actor).filter(is_test=False).select_related("tenancy")
    posted = AccountTransaction.objects.filter(
        account_id=OuterRef("account_id"), payment_reference=OuterRef("reference")
    )
    not_posted = payments.filter(status=Payment.Status.PAID, finished_at__lt=now - POSTING_GRACE).filter(
        ~Exists(posted)
    )
    unfinished = payments.filter(status=Payment.Status.IN_PROGRESS, created_at__lt=now - UNFINISHED_AFTER)
    return Reconciliation(
        not_posted=list(not_posted.order_by("finished_at")[:MOST]),
        mismatched=_mismatched(actor),
        unfinished=list(unfinished.order_by("created_at")[:MOST]),
    )


def _mismatched(actor: Actor) -> list[Mismatch]:
    """Transactions naming a card payment that was not paid here, or not for that amount
    (a card payment lowers what is owed: its transaction is the payment's amount below 0)."""
    matching = Payment.objects.filter(
        reference=OuterRef("payment_reference"),
        account_id=OuterRef("account_id"),
        status=Payment.Status.PAID,
        amount_pence=-OuterRef("amount_pence"),
    )
    found = (
        AccountTransaction.objects.visible_to(actor)
        .exclude(payment_reference="")
        .filter(~Q(Exists(matching)), account__tenancy__is_test=False)
        .select_related("account__tenancy")
        .order_by("-posted_on", "-id")[:MOST]
    )
    transactions = list(found)
    references = {t.payment_reference for t in transactions}
    payments = {p.reference: p for p in Payment.objects.visible_to(actor).filter(reference__in=references)}
    return [Mismatch(t, payments.get(t.payment_reference)) for t in transactions]
