"""The one way in to rent and service-charge accounts. Not visible: 404, the same as "does
not exist". A transaction is reached only through its account. Residents reach their own
homes' accounts; the income team (and the DPO) every account but a test household's."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.housing.models import Tenancy
from porch.money.arrears import at_least_weeks
from porch.money.models import (
    AccountTransaction,
    ArrangementQuerySet,
    InvoiceLine,
    InvoiceQuerySet,
    Payment,
    PaymentArrangement,
    Refund,
    RentAccount,
    RentAccountQuerySet,
    ServiceChargeInvoice,
)

PAGE_SIZE = 25
# A caller asks about a recent payment: the payment lookup shows a tenancy's last few.
LOOKUP_MOST = 10
# Who decides what a resident offers to pay off their arrears: the income team alone.
ARRANGEMENT_DECIDERS = frozenset({StaffRole.INCOME_OFFICER})


def accounts_for_resident(actor: Actor) -> RentAccountQuerySet:
    """The accounts of the tenancies the resident holds an account for now, with their homes."""
    if not actor.is_resident:
        return RentAccount.objects.none()
    found = RentAccount.objects.visible_to(actor).select_related("tenancy__property")
    return found.order_by("tenancy_id", "kind", "id")


def get_account_for(actor: Actor, code: UUID | str) -> RentAccount:
    account = accounts_for_resident(actor).filter(uuid=code).first()
    if account is None:
        raise Http404
    return account


def get_payment_for(actor: Actor, code: UUID | str) -> Payment:
    """A card payment into an account the resident holds now, with its account."""
    found = Payment.objects.visible_to(actor).filter(uuid=code) if actor.is_resident else Payment.objects.none()
    payment = found.select_related("account__tenancy__property").first()
    if payment is None:
        raise Http404
    return payment


def get_payment_for_staff(actor: Actor, code: UUID | str) -> Payment:
    """A card payment, for the staff who may see payments; never a test household's."""
    found = Payment.objects.none() if actor.is_resident else Payment.objects.visible_to(actor)
    payment = found.filter(uuid=code, is_test=False).first()
    if payment is None:
        raise Http404
    return payment


def refunds_waiting(actor: Actor) -> list[Refund]:
    """Refunds waiting for a second income officer, or approved and not yet confirmed by the
    provider, the oldest first."""
    waiting = [Refund.Status.PROPOSED, Refund.Status.SENDING]
    found = Refund.objects.visible_to(actor).filter(status__in=waiting, payment__is_test=False)
    return list(found.select_related("payment__tenancy", "proposed_by").order_by("proposed_at")[: LOOKUP_MOST * 10])


def get_refund_for(actor: Actor, code: UUID | str) -> Refund:
    refund = Refund.objects.visible_to(actor).filter(uuid=code, payment__is_test=False)
    found = refund.select_related("payment__tenancy__property", "proposed_by", "decided_by").first()
    if found is None:
        raise Http404
    return found


def payments_for_staff(actor: Actor, reference: str) -> list[Payment]:
    """The payments a caller asks about, by the payment's reference or the tenancy's (the last
    few, newest first), never a test household's. The account itself is not read."""
    if actor.is_resident:
        return []
    found = Payment.objects.visible_to(actor).filter(is_test=False)
    found = found.filter(Q(reference=reference) | Q(tenancy__reference=reference))
    posted = AccountTransaction.objects.filter(
        account_id=OuterRef("account_id"), payment_reference=OuterRef("reference")
    )
    found = found.annotate(posted=Exists(posted)).select_related("tenancy__property")
    return list(found.order_by("-created_at")[:LOOKUP_MOST])


def accounts_for_staff(actor: Actor) -> RentAccountQuerySet:
    """Every account the staff member may read (the income team and the DPO, with current
    training: all; anyone else: none), never a test household's (like staff searches), with
    its home."""
    if not actor.is_staff:
        return RentAccount.objects.none()
    found = RentAccount.objects.visible_to(actor).filter(tenancy__is_test=False)
    return found.select_related("tenancy__property")


def arrears_for_staff(actor: Actor, filters: Mapping[str, Any]) -> RentAccountQuerySet:
    """The accounts owing money that the filters choose (at least an amount, at least a number
    of weeks of the charge, rent or service charges, among the accounts behind on an agreed
    arrangement when "behind" names them), the most owed first: the order
    porch.core.paging.page_of pages by (balance_pence, id), served by the owed accounts' index."""
    found = accounts_for_staff(actor).filter(balance_pence__gt=0)
    if filters.get("least"):
        found = found.filter(balance_pence__gte=filters["least"])
    if filters.get("weeks"):
        found = found.filter(at_least_weeks(filters["weeks"]))
    if filters.get("kind"):
        found = found.filter(kind=filters["kind"])
    if filters.get("extra_care"):
        found = found.filter(tenancy__needs_extra_care=True)
    if filters.get("behind") is not None:
        found = found.filter(pk__in=filters["behind"])
    return found.order_by("-balance_pence", "-id")


def get_account_for_staff(actor: Actor, code: UUID | str) -> RentAccount:
    account = accounts_for_staff(actor).filter(uuid=code).first()
    if account is None:
        raise Http404
    return account


def accounts_of_tenancy_for_staff(actor: Actor, tenancy: Tenancy) -> list[RentAccount]:
    """A tenancy's accounts, for the links on its staff page: none for a role that reads no
    accounts, at no query (visible_to's empty rule is never sent to the database)."""
    return list(accounts_for_staff(actor).filter(tenancy=tenancy).order_by("kind", "id"))


@dataclass(frozen=True)
class Line:
    """A transaction as the account page shows it: with the balance after it, or None for one
    posted after the day the balance was worked out (it is not in that balance yet)."""

    transaction: AccountTransaction
    balance_after: int | None


@dataclass(frozen=True)
class History:
    page: Page[AccountTransaction]
    lines: list[Line]


def history_page(actor: Actor, account: RentAccount, *, since: datetime.date | None, number: str | None) -> History:
    """A page of the account's transactions, newest first, each with the balance after it,
    worked back from the balance the housing system gave (one sum, of the newer ones up to the
    day it was worked out: a transaction posted later is not in it)."""
    history = AccountTransaction.objects.visible_to(actor).filter(account=account).order_by("-posted_on", "-id")
    shown = history.filter(posted_on__gte=since) if since else history
    page = Paginator(shown, PAGE_SIZE).get_page(number)
    rows = list(page.object_list)
    if not rows:
        return History(page, [])
    worked_out_on = timezone.localdate(account.balance_at)
    first = rows[0]
    newer = history.filter(Q(posted_on__gt=first.posted_on) | Q(posted_on=first.posted_on, id__gt=first.id))
    in_balance = newer.filter(posted_on__lte=worked_out_on)
    balance = account.balance_pence - (in_balance.aggregate(total=Sum("amount_pence"))["total"] or 0)
    lines = []
    for row in rows:
        if row.posted_on > worked_out_on:
            lines.append(Line(row, None))
            continue
        lines.append(Line(row, balance))
        balance -= row.amount_pence
    return History(page, lines)


def get_resident_arrangement_for(actor: Actor, code: UUID | str) -> PaymentArrangement:
    """An arrangement of an account the resident holds now (404 otherwise): never a former
    tenancy's, a later tenancy's of the same home, or a household member's."""
    if not actor.is_resident:
        raise Http404
    found = PaymentArrangement.objects.visible_to(actor).select_related("account__tenancy__property")
    arrangement = found.filter(uuid=code).first()
    if arrangement is None:
        raise Http404
    return arrangement


def latest_arrangement(actor: Actor, account: RentAccount) -> PaymentArrangement | None:
    """The account's newest arrangement, which is the one its page speaks of: an open one if
    there is one (there is at most one), else the last answer."""
    found = PaymentArrangement.objects.visible_to(actor).filter(account=account)
    return found.order_by("-proposed_at", "-id").first()


def arrangements_waiting(actor: Actor) -> ArrangementQuerySet:
    """Proposals waiting for the income team, oldest first, with their accounts and homes.
    Never a test household's, as no staff list shows one."""
    if not (actor.is_staff and actor.has_role(*ARRANGEMENT_DECIDERS)):
        return PaymentArrangement.objects.none()
    found = PaymentArrangement.objects.visible_to(actor).filter(status=PaymentArrangement.Status.PROPOSED)
    found = found.filter(tenancy__is_test=False).select_related("account__tenancy__property", "proposed_by")
    return found.order_by("proposed_at", "id")


def get_staff_arrangement_for(actor: Actor, code: UUID | str) -> PaymentArrangement:
    """Any arrangement the income team may decide (404 for a test household's, as for one
    that does not exist); staff without the role get nothing."""
    if not (actor.is_staff and actor.has_role(*ARRANGEMENT_DECIDERS)):
        raise Http404
    found = PaymentArrangement.objects.visible_to(actor).filter(tenancy__is_test=False, uuid=code)
    arrangement = found.select_related("account__tenancy__property", "proposed_by", "decided_by").first()
    if arrangement is None:
        raise Http404
    return arrangement


def invoices_of_account(actor: Actor, account: RentAccount) -> InvoiceQuerySet:
    """A service-charge account's invoices, newest first, each with its total (the sum of its
    lines): one query. The account came through get_account_for, so the actor holds it now."""
    found = ServiceChargeInvoice.objects.visible_to(actor).filter(account=account)
    found = found.annotate(total_pence=Coalesce(Sum("lines__amount_pence"), 0))
    return found.order_by("-issued_on", "-id")


def get_invoice_for(actor: Actor, code: UUID | str) -> ServiceChargeInvoice:
    """An invoice of a service-charge account the resident holds now (404 otherwise): never a
    former owner's, a later owner's of the same home, a tenant's of the same block, or
    another owner's. Staff see invoices only through the resident's pages, viewing as them."""
    if not actor.is_resident:
        raise Http404
    found = ServiceChargeInvoice.objects.visible_to(actor).select_related("account__tenancy__property")
    invoice = found.filter(uuid=code).first()
    if invoice is None:
        raise Http404
    return invoice


def invoice_lines(actor: Actor, invoice: ServiceChargeInvoice) -> list[InvoiceLine]:
    """An invoice's lines in the housing system's order (it sends them in the order it prints them)."""
    return list(InvoiceLine.objects.visible_to(actor).filter(invoice=invoice).order_by("id"))
