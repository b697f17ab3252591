"""Rent and service-charge accounts, as the housing system keeps them (ADR 0022).

The housing system owns the money: each account's balance, its charges and every transaction
come from it through the housing record feed and are never worked out or changed here. Money
is whole pennies (a signed integer) from the file to the page; pounds are only ever words.

Both tables carry the tenancy whose account it is, so who may see a row is decided by a key
on the row itself: its tenancy's account holders, never a former tenancy's or a later one's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q

from porch.core.roles import StaffRole
from porch.housing.models import Tenancy

if TYPE_CHECKING:
    from porch.core.actor import Actor

# Staff who read every account (with current data-protection training): the income team, and
# the DPO. Customer services will see whether a payment went through, not the account (issue 13).
ACCOUNT_READERS = frozenset({StaffRole.INCOME_OFFICER, StaffRole.DPO})


def hidden_from_view_as(actor: Actor) -> bool:
    """Staff viewing as a resident see the resident's pages, but no more than their own role
    may read: customer services, say, never an account."""
    return actor.is_viewing_as and not (actor.behind_roles & ACCOUNT_READERS)


def _tenancy_rule(actor: Actor) -> Q | None:
    """The tenancies whose accounts the actor may read, as one predicate on the row's own
    tenancy: residents, those they hold an account-holding membership of now (and staff
    viewing as them, only if their own role reads accounts); the income team and the DPO,
    every one (None); anyone else, none."""
    if actor.is_resident and actor.person_id:
        return Q(pk__in=[]) if hidden_from_view_as(actor) else Q(tenancy_id__in=actor.tenancy_ids)
    if actor.reads_personal_data and actor.roles & ACCOUNT_READERS:
        return None
    return Q(pk__in=[])


class RentAccountQuerySet(models.QuerySet["RentAccount"]):
    def visible_to(self, actor: Actor) -> RentAccountQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class TransactionQuerySet(models.QuerySet["AccountTransaction"]):
    def visible_to(self, actor: Actor) -> TransactionQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class Frequency(models.TextChoices):
    WEEK = "week", "every week"
    FORTNIGHT = "fortnight", "every two weeks"
    FOUR_WEEKS = "four_weeks", "every four weeks"
    MONTH = "month", "every month"
    QUARTER = "quarter", "every three months"
    YEAR = "year", "every year"


class RentAccount(models.Model):
    """One account of a tenancy (its rent, or a homeowner's service charges), as at the
    housing system's last word on it. `balance_pence` is what is owed: above nothing is
    arrears, below nothing is credit."""

    class Kind(models.TextChoices):
        RENT = "rent", "Rent"
        SERVICE_CHARGE = "service_charge", "Service charges"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    hms_reference = models.CharField(max_length=30, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="money_accounts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    balance_pence = models.BigIntegerField()
    balance_at = models.DateTimeField(help_text="When the housing system worked the balance out.")
    charge_pence = models.BigIntegerField(help_text="The regular charge, every `charge_every`.")
    charge_every = models.CharField(max_length=12, choices=Frequency.choices)
    next_due_pence = models.BigIntegerField(null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True)

    objects = RentAccountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(charge_pence__gte=0), name="money_charge_not_negative"),
            models.CheckConstraint(
                condition=Q(next_due_pence__isnull=True, next_due_on__isnull=True)
                | Q(next_due_pence__isnull=False, next_due_on__isnull=False),
                name="money_next_due_whole",
            ),
        ]
        indexes = [
            # The income team's arrears list: the accounts owing money, the most owed first, a
            # page at a time (porch.core.paging by balance_pence). Only owed accounts are in it.
            models.Index(
                fields=["-balance_pence", "-id"], condition=Q(balance_pence__gt=0), name="money_account_most_owed"
            ),
        ]

    def __str__(self) -> str:
        return self.hms_reference


class AccountTransaction(models.Model):
    """One line of an account's history. `amount_pence` is what it added to what is owed: a
    charge is positive, a payment or a credit negative."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        PAYMENT = "payment", "Payment"
        BENEFIT = "benefit", "Housing benefit or Universal Credit"
        ADJUSTMENT = "adjustment", "Adjustment"
        REFUND = "refund", "Refund"

    hms_reference = models.CharField(max_length=30, unique=True)
    # Indexed by the history's index below, which starts with it.
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="transactions", db_index=False)
    # The account's tenancy, kept on the row so that who may read it is decided by the row alone.
    # Not indexed: rows are always found through their account; an index would cost every one
    # of millions of inserts and serve no query.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+", db_index=False)
    posted_on = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.CharField(max_length=200)
    amount_pence = models.BigIntegerField()

    objects = TransactionQuerySet.as_manager()

    class Meta:
        indexes = [
            # An account's history newest first, a page at a time.
            models.Index(fields=["account", "-posted_on", "-id"], name="money_tx_account_newest"),
        ]

    def __str__(self) -> str:
        return self.hms_reference
