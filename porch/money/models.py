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

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from porch.core.roles import StaffRole
from porch.housing.models import Person, Tenancy
from porch.money.kinds import ACCOUNT_READERS, PAYMENT_READERS

if TYPE_CHECKING:
    from porch.core.actor import Actor


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
    # A payment made in Porch, as the housing system posted it: the payment's reference, so
    # the account page knows it arrived (and stops showing it as on its way).
    payment_reference = models.CharField(max_length=20, blank=True, db_default="")

    objects = TransactionQuerySet.as_manager()

    class Meta:
        indexes = [
            # An account's history newest first, a page at a time.
            models.Index(fields=["account", "-posted_on", "-id"], name="money_tx_account_newest"),
            # The few transactions that are card payments made here, by their reference (the account
            # page's "on its way" and the income team's reconciliation), without indexing millions.
            models.Index(
                fields=["payment_reference"], condition=~Q(payment_reference=""), name="money_tx_card_payment"
            ),
        ]

    def __str__(self) -> str:
        return self.hms_reference


class PaymentQuerySet(models.QuerySet["Payment"]):
    def visible_to(self, actor: Actor) -> PaymentQuerySet:
        """Residents: as their accounts. Staff: the payment readers, every payment."""
        if not actor.is_resident and actor.reads_personal_data and actor.roles & PAYMENT_READERS:
            return self.all()
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class Payment(models.Model):
    """A card payment a resident made through the payment provider's hosted page (ADR 0024).

    One row whatever happens: the pay form carries a one-time key (`attempt_key`), so a double
    submit finds the row the first made; the provider is asked with the row's uuid as its
    idempotency key; and the status only moves forward (`porch.money.payments.settle`), so a
    return and a callback, in either order or twice, leave it as one. No card detail is here:
    the card is typed on the provider's page, never Porch's."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "Waiting for the card payment"
        PAID = "paid", "Paid"
        NOT_PAID = "not_paid", "Did not go through"

    FINISHED = frozenset({Status.PAID, Status.NOT_PAID})

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # What the resident, customer services and the housing system quote: PAY- and 8 letters.
    reference = models.CharField(max_length=20, unique=True)
    attempt_key = models.UUIDField(unique=True)
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="payments")
    # The account's tenancy, on the row: who may read it is decided by the row alone.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    paid_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    amount_pence = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    provider = models.CharField(max_length=20)
    provider_id = models.CharField(max_length=60, blank=True, default="")
    next_url = models.URLField(max_length=2000, blank=True, default="")
    # The provider's own words for how it ended ("declined", "cancelled by the payer").
    outcome = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    is_test = models.BooleanField(default=False)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="money_payment_above_nothing"),
            models.UniqueConstraint(
                fields=["provider", "provider_id"], condition=~Q(provider_id=""), name="money_payment_provider_once"
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="money_payment_account_newest")]

    def __str__(self) -> str:
        return self.reference

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED


class MandateQuerySet(models.QuerySet["DirectDebitMandate"]):
    def visible_to(self, actor: Actor) -> MandateQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class DirectDebitMandate(models.Model):
    """A Direct Debit a resident set up for an account through the Direct Debit provider
    (ADR 0024). The bank details went to the provider and were never kept: all Porch holds of
    the bank account is its last two digits, to show the resident which account it is."""

    class Status(models.TextChoices):
        SETTING_UP = "setting_up", "Being set up"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        FAILED = "failed", "Could not be set up"

    LIVE = frozenset({Status.SETTING_UP, Status.ACTIVE})

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    attempt_key = models.UUIDField(unique=True)
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="mandates")
    # The account's tenancy, on the row: who may read it is decided by the row alone.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SETTING_UP)
    provider = models.CharField(max_length=20)
    provider_id = models.CharField(max_length=60)
    account_ending = models.CharField(max_length=2)
    collection_day = models.PositiveSmallIntegerField()
    amount_pence = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The provider's own words for why it ended or failed.
    outcome = models.CharField(max_length=200, blank=True, default="")
    is_test = models.BooleanField(default=False)

    objects = MandateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_id"], name="money_mandate_provider_once"),
            models.CheckConstraint(
                condition=Q(collection_day__gte=1, collection_day__lte=28), name="money_mandate_day_in_every_month"
            ),
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="money_mandate_above_nothing"),
            models.CheckConstraint(condition=Q(account_ending__regex=r"^[0-9]{2}$"), name="money_mandate_two_digits"),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="money_mandate_account_newest")]

    def __str__(self) -> str:
        return f"Direct Debit from the account ending {self.account_ending}"


# How often a resident may pay towards arrears: the ways people are paid and pay rent.
ARRANGEMENT_FREQUENCIES = (Frequency.WEEK, Frequency.FORTNIGHT, Frequency.FOUR_WEEKS, Frequency.MONTH)


class ArrangementQuerySet(models.QuerySet["PaymentArrangement"]):
    def visible_to(self, actor: Actor) -> ArrangementQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)

    def open(self) -> ArrangementQuerySet:
        return self.filter(status__in=PaymentArrangement.OPEN)


class PaymentArrangement(models.Model):
    """An account holder's offer to pay off arrears in instalments, and the income team's
    answer. The officer may agree to other terms: `agreed_pence` and `agreed_every` are what
    the resident then keeps to. Like a transaction, the row carries its account's tenancy."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a decision"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the resident"
        ENDED = "ended", "Ended"

    OPEN = (Status.PROPOSED, Status.AGREED)

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="arrangements")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    proposed_pence = models.BigIntegerField()
    proposed_every = models.CharField(max_length=12, choices=[(f.value, f.label) for f in ARRANGEMENT_FREQUENCIES])
    starts_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    agreed_pence = models.BigIntegerField(null=True, blank=True)
    agreed_every = models.CharField(
        max_length=12, blank=True, choices=[(f.value, f.label) for f in ARRANGEMENT_FREQUENCIES]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why the officer declined or changed the terms: the resident reads it.
    reason = models.TextField(blank=True)
    idempotency_key = models.UUIDField(unique=True)

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submit, or two account holders asking at once, makes one open arrangement.
            models.UniqueConstraint(
                fields=["account"], condition=Q(status__in=["proposed", "agreed"]), name="money_one_open_arrangement"
            ),
            models.CheckConstraint(condition=Q(proposed_pence__gt=0), name="money_arrangement_proposed_positive"),
            models.CheckConstraint(
                condition=Q(proposed_every__in=[f.value for f in ARRANGEMENT_FREQUENCIES]),
                name="money_arrangement_proposed_every",
            ),
            # Agreed terms exist exactly when the arrangement was agreed (and may since have ended).
            models.CheckConstraint(
                condition=Q(
                    status__in=["agreed", "ended"],
                    agreed_pence__gt=0,
                    agreed_every__in=[f.value for f in ARRANGEMENT_FREQUENCIES],
                )
                | (~Q(status__in=["agreed", "ended"]) & Q(agreed_pence__isnull=True, agreed_every="")),
                name="money_arrangement_agreed_terms",
            ),
            # A decision names who made it and when; a refusal says why.
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "withdrawn"])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="money_arrangement_decided",
            ),
            models.CheckConstraint(condition=~Q(status="declined", reason=""), name="money_arrangement_decline_reason"),
            models.CheckConstraint(
                condition=Q(agreed_pence__isnull=True)
                | Q(agreed_pence=F("proposed_pence"), agreed_every=F("proposed_every"))
                | ~Q(reason=""),
                name="money_arrangement_change_reason",
            ),
        ]
        indexes = [
            # The income team's queue: proposals waiting, oldest first.
            models.Index(fields=["proposed_at"], condition=Q(status="proposed"), name="money_arrangements_waiting"),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def was_changed(self) -> bool:
        """The officer agreed to other terms than those asked for."""
        return self.agreed_pence is not None and (
            self.agreed_pence != self.proposed_pence or self.agreed_every != self.proposed_every
        )


class RefundQuerySet(models.QuerySet["Refund"]):
    def visible_to(self, actor: Actor) -> RefundQuerySet:
        """The income team alone: residents learn of a refund from their account, as posted."""
        if actor.is_resident or not (actor.reads_personal_data and StaffRole.INCOME_OFFICER in actor.roles):
            return self.none()
        return self.all()


class Refund(models.Model):
    """Money given back on a card payment: proposed by one income officer, approved by another
    (the database refuses the same person twice), then sent through the provider."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second person"
        SENDING = "sending", "Approved, not yet confirmed by the provider"
        REFUNDED = "refunded", "Refunded"
        REJECTED = "rejected", "Not approved"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # The payment's tenancy, on the row: who may read it is decided by the row alone.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    amount_pence = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    provider_refund_id = models.CharField(max_length=60, blank=True, default="")

    objects = RefundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="money_refund_above_nothing"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="money_refund_second_person",
            ),
            models.UniqueConstraint(
                fields=["payment"], condition=Q(status__in=["proposed", "sending"]), name="money_refund_one_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund of {self.amount_pence}p on {self.payment_id}"


class InvoiceQuerySet(models.QuerySet["ServiceChargeInvoice"]):
    def visible_to(self, actor: Actor) -> InvoiceQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class ServiceChargeInvoice(models.Model):
    """A homeowner's service-charge invoice for a period, as the housing system issued it
    (ADR 0025): the block's or estate's shared costs (its lines) and the owner's share of each.
    Its total is the sum of its lines' amounts, never kept apart from them. Like a transaction,
    the row carries its account's tenancy."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    hms_reference = models.CharField(max_length=30, unique=True)
    # Indexed by the list's index below, which starts with it.
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="invoices", db_index=False)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+", db_index=False)
    period_from = models.DateField()
    period_to = models.DateField()
    issued_on = models.DateField()
    due_on = models.DateField()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="money_invoice_period_order"),
            models.CheckConstraint(condition=Q(due_on__gte=F("issued_on")), name="money_invoice_due_after_issue"),
        ]
        indexes = [
            # An account's invoices, newest first.
            models.Index(fields=["account", "-issued_on", "-id"], name="money_invoice_account_newest"),
        ]

    def __str__(self) -> str:
        return self.hms_reference


class LineQuerySet(models.QuerySet["InvoiceLine"]):
    def visible_to(self, actor: Actor) -> LineQuerySet:
        rule = _tenancy_rule(actor)
        return self.all() if rule is None else self.filter(rule)


class InvoiceLine(models.Model):
    """One shared cost on an invoice: the whole cost for the block or estate, the owner's share
    of it as the housing system wrote it ("1/24", "4.1667%"), and what that comes to."""

    class Heading(models.TextChoices):
        COMMON_REPAIRS = "common_repairs", "Common repairs"
        CLEANING = "cleaning", "Cleaning"
        INSURANCE = "insurance", "Insurance"
        MANAGEMENT_FEE = "management_fee", "Management fee"
        OTHER = "other", "Other"

    hms_reference = models.CharField(max_length=30, unique=True)
    # Indexed by the lines' index below, which starts with it.
    invoice = models.ForeignKey(ServiceChargeInvoice, on_delete=models.PROTECT, related_name="lines", db_index=False)
    # The invoice's tenancy, on the row: who may read it is decided by the row alone.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+", db_index=False)
    heading = models.CharField(max_length=20, choices=Heading.choices)
    description = models.CharField(max_length=200)
    block_cost_pence = models.BigIntegerField()
    share = models.CharField(max_length=20)
    amount_pence = models.BigIntegerField()

    objects = LineQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["invoice", "id"], name="money_invoice_line_order")]

    def __str__(self) -> str:
        return self.hms_reference
