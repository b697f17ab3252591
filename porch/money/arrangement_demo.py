"""Demo: Carol's household (Flat 2, Ashdown House) owes rent and has asked to pay it off at
£15 a week from next Monday, waiting for the income team, so an income officer has a
proposal to decide and Carol (and Kim, her joint tenant) see it waiting.

Written directly, like the rest of the demo data: no audit row and no update to the housing
system. Deterministic, and a second call adds nothing."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from porch.housing.cast import demo_email
from porch.housing.models import Membership
from porch.money.models import AccountTransaction, Frequency, PaymentArrangement, RentAccount

KEY = uuid.UUID("5e0b7c1a-13a4-4c6e-9a51-6d2f0c8b7a13")
# What Carol owes, if the demo's history left her account up to date or in credit.
ARREARS_PENCE = 41250
INSTALMENT_PENCE = 1500


def demo_arrangement() -> None:
    if PaymentArrangement.objects.filter(idempotency_key=KEY).exists():
        return
    holder = Membership.objects.current().account_holders().filter(person__email=demo_email("carol")).first()
    if holder is None:
        return
    account = RentAccount.objects.filter(tenancy_id=holder.tenancy_id).order_by("id").first()
    if account is None:
        return
    if account.balance_pence <= 0:
        _owing(account)
    today = timezone.localdate()
    PaymentArrangement.objects.create(
        account=account,
        tenancy_id=account.tenancy_id,
        proposed_by_id=holder.person_id,
        proposed_pence=INSTALMENT_PENCE,
        proposed_every=Frequency.WEEK,
        starts_on=today + datetime.timedelta(days=7 - today.weekday()),
        note="My hours were cut in the summer. I am paid on Fridays and can manage £15 a week on top of the rent.",
        idempotency_key=KEY,
    )


def _owing(account: RentAccount) -> None:
    """Arrears brought forward into the history, and the balance to match: the balance is
    always the sum of the history the demo wrote."""
    brought = AccountTransaction.objects.filter(account=account, description="Balance brought forward").first()
    if brought is None:
        return
    more = ARREARS_PENCE - account.balance_pence
    brought.amount_pence += more
    brought.save(update_fields=["amount_pence"])
    account.balance_pence += more
    account.save(update_fields=["balance_pence"])
