"""Arrangements for the test cast, made through the same service the resident's form uses."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.money.arrangement_services import arrangement_propose
from porch.money.models import Frequency, PaymentArrangement, RentAccount

from .helpers import an_account, income_officer


def in_arrears(cast: Cast, household: str = "ashton", owed: int = 50000) -> RentAccount:
    """A weekly rent account (£98.40) with `owed` pence of arrears."""
    return an_account(cast[household].tenancy, ("Arrears brought forward", owed))


def a_proposal(
    cast: Cast,
    household: str = "ashton",
    who: str = "alice",
    *,
    account: RentAccount | None = None,
    pence: int = 1000,
    every: str = Frequency.WEEK,
    starts_on: datetime.date | None = None,
) -> PaymentArrangement:
    account = account or in_arrears(cast, household)
    return arrangement_propose(
        actor=actor_for_user(cast.resident(who), verified=True),
        account=account,
        amount_pence=pence,
        every=every,
        starts_on=starts_on or timezone.localdate(),
        note="Paid on Fridays",
        idempotency_key=uuid.uuid4(),
    )


def arrears_account_code(cast: Cast) -> str:
    return str(in_arrears(cast).uuid)


def proposal_code(cast: Cast) -> str:
    """The Ashtons' proposal, with the income officer added for the staff pages."""
    income_officer(cast)
    return str(a_proposal(cast).uuid)
