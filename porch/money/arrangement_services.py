"""Arrangements to pay off arrears: a resident proposes, may withdraw while it waits, and the
income team agrees (as asked, or with changes) or declines. Each change is audited to the
account holders and goes to the housing system through the outbox, last in its transaction;
each read is audited too.

Of two decisions made at once, or a decision and a withdrawal, the second waits for the
first's lock and then finds the arrangement already answered: nothing is decided twice."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.money import arrangements
from porch.money.kinds import PAYMENT_ARRANGEMENT
from porch.money.models import AccountTransaction, PaymentArrangement, RentAccount, TransactionQuerySet
from porch.money.services import holder_ids, records_shown
from porch.outbox.services import About, emit

Status = PaymentArrangement.Status
PAID_IN = (AccountTransaction.Kind.PAYMENT, AccountTransaction.Kind.BENEFIT)


class NotInArrears(Exception):
    """Only an account in arrears has anything to pay off."""


class AlreadyOpen(Exception):
    """The account already has an arrangement waiting or agreed."""


class AlreadyDecided(Exception):
    """The proposal was withdrawn or answered meanwhile."""


def arrangement_propose(
    *,
    actor: Actor,
    account: RentAccount,
    amount_pence: int,
    every: str,
    starts_on: datetime.date,
    note: str,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> PaymentArrangement:
    """A proposal from one of the account's holders. The same form sent twice makes one (its
    key); a second proposal while one is open raises AlreadyOpen, and the database refuses
    one that slips past the check at the same moment."""

    person_id = actor.person_id
    if person_id is None:
        raise PermissionDenied("Only an account holder asks for an arrangement.")

    def create() -> PaymentArrangement:
        if account.balance_pence <= 0:
            raise NotInArrears
        if PaymentArrangement.objects.filter(account=account).open().exists():
            raise AlreadyOpen
        arrangement = PaymentArrangement.objects.create(
            account=account,
            tenancy_id=account.tenancy_id,
            proposed_by_id=person_id,
            proposed_pence=amount_pence,
            proposed_every=every,
            starts_on=starts_on,
            note=note.strip(),
            idempotency_key=idempotency_key,
        )
        _changed(actor, arrangement, "proposed", request)
        return arrangement

    return create_once(PaymentArrangement.objects.filter(account=account), idempotency_key, create)


def arrangement_withdraw(
    *, actor: Actor, arrangement: PaymentArrangement, request: HttpRequest | None = None
) -> PaymentArrangement:
    """The resident takes back a proposal still waiting. Raises AlreadyDecided."""
    with transaction.atomic():
        locked = _lock_waiting(arrangement)
        locked.status = Status.WITHDRAWN
        locked.save(update_fields=["status"])
        _changed(actor, locked, "withdrawn", request)
    return locked


def arrangement_decide(
    *,
    actor: Actor,
    arrangement: PaymentArrangement,
    terms: tuple[int, str] | None,
    reason: str,
    request: HttpRequest | None = None,
) -> PaymentArrangement:
    """Agree to `terms` (the amount and how often: what was asked, or other terms with a
    reason), or decline with a reason when `terms` is None. Raises AlreadyDecided."""
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock_waiting(arrangement)
        if terms is None:
            locked.status = Status.DECLINED
        else:
            locked.status = Status.AGREED
            locked.agreed_pence, locked.agreed_every = terms
        locked.reason = reason
        locked.decided_by_id = actor.user_id
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "agreed_pence", "agreed_every", "reason", "decided_by", "decided_at"])
        decided = "declined" if terms is None else "agreed with changes" if locked.was_changed else "agreed"
        _changed(actor, locked, decided, request)
    return locked


def _lock_waiting(arrangement: PaymentArrangement) -> PaymentArrangement:
    """The arrangement, locked until the transaction ends, if it still waits for an answer."""
    locked = PaymentArrangement.objects.select_for_update().get(pk=arrangement.pk)
    if locked.status != Status.PROPOSED:
        raise AlreadyDecided
    locked.account = arrangement.account  # the same account: kept, not fetched again
    return locked


def _changed(actor: Actor, arrangement: PaymentArrangement, what: str, request: HttpRequest | None) -> None:
    """Audit a change to each account holder, then tell the housing system (last in the
    transaction, as emit asks). The reason names what happened, never amounts or words."""
    account = arrangement.account
    holders = holder_ids([account.tenancy_id])[account.tenancy_id]
    action = "create" if what == "proposed" else "update"
    record(
        actor=actor,
        action=action,
        object_type=PAYMENT_ARRANGEMENT,
        object_id=arrangement.uuid,
        subject_ids=holders,
        tenancy_id=account.tenancy_id,
        reason=what,
        request=request,
    )
    emit(
        f"payment_arrangement.{arrangement.status}",
        about=About(account.hms_reference, holders, account.tenancy.is_test),
        payload=_said(arrangement),
    )


def _said(arrangement: PaymentArrangement) -> dict[str, object]:
    """What the housing system hears of an arrangement (docs/outbox.md): the same shape for
    every change, so the latest event says all there is."""
    return {
        "arrangement": str(arrangement.uuid),
        "account_ref": arrangement.account.hms_reference,
        "tenancy_ref": arrangement.account.tenancy.reference,
        "status": arrangement.status,
        "proposed_pence": arrangement.proposed_pence,
        "proposed_every": arrangement.proposed_every,
        "starts_on": arrangement.starts_on,
        "note": arrangement.note,
        "agreed_pence": arrangement.agreed_pence,
        "agreed_every": arrangement.agreed_every or None,
        "reason": arrangement.reason,
        "proposed_at": arrangement.proposed_at,
        "decided_at": arrangement.decided_at,
    }


def arrangements_shown(
    *, actor: Actor, arrangements: Sequence[PaymentArrangement], request: HttpRequest, action: str = "view"
) -> None:
    """Record a read of arrangements: one row per arrangement and per account holder now."""
    records_shown(actor=actor, kind=PAYMENT_ARRANGEMENT, records=arrangements, request=request, action=action)


def progress_of(actor: Actor, arrangement: PaymentArrangement, today: datetime.date) -> arrangements.Progress | None:
    """How an agreed arrangement is being kept to (None for one not agreed): the payments and
    benefit credits into the account since it started, against what fell due."""
    if arrangement.status != Status.AGREED or arrangement.agreed_pence is None:
        return None
    paid_in = _paid_in(today).filter(account=arrangement.account, posted_on__gte=arrangement.starts_on)
    paid = -int(paid_in.visible_to(actor).aggregate(total=Sum("amount_pence"))["total"] or 0)
    return _progress(arrangement, today, paid)


def accounts_behind(actor: Actor, today: datetime.date) -> set[int]:
    """The accounts whose agreed arrangement is not being kept to (the arrears list's filter):
    every agreed arrangement with what was paid in since its start, in one query."""
    paid_in = (
        _paid_in(today)
        .filter(account_id=OuterRef("account_id"), posted_on__gte=OuterRef("starts_on"))
        .values("account_id")
        .annotate(total=Sum("amount_pence"))
        .values("total")
    )
    agreed = (
        PaymentArrangement.objects.visible_to(actor)
        .filter(status=Status.AGREED, agreed_pence__isnull=False, starts_on__lte=today)
        .select_related("account")
        .annotate(paid=Subquery(paid_in))
    )
    return {a.account_id for a in agreed if not _progress(a, today, -int(a.paid or 0)).keeping_to_it}  # type: ignore[attr-defined]


def _paid_in(today: datetime.date) -> TransactionQuerySet:
    return AccountTransaction.objects.filter(kind__in=PAID_IN, amount_pence__lt=0, posted_on__lte=today)


def _progress(arrangement: PaymentArrangement, today: datetime.date, paid_pence: int) -> arrangements.Progress:
    account = arrangement.account
    return arrangements.progress(
        start=arrangement.starts_on,
        today=today,
        charge_pence=account.charge_pence,
        charge_every=account.charge_every,
        instalment_pence=arrangement.agreed_pence or 0,
        instalment_every=arrangement.agreed_every,
        paid_pence=paid_pence,
    )
