"""Card payments (ADR 0024): started here, paid on the provider's page, and settled by
whichever comes first, the resident coming back or the provider's callback.

One payment is one row whatever happens:
- the pay form carries a one-time key, so a second submit of it finds the row the first made
  (the database's unique key decides a race) and is sent to the same payment page;
- the provider is asked with the row's uuid as its idempotency key, so even a retry after the
  provider was down gives the same payment, never a second charge;
- `settle` only moves a payment forward (not started, in progress, then paid or not paid) and
  only once, under a row lock: a return and a callback, in either order, or either twice,
  finish it once, and a paid payment is sent to the housing system once.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
from collections.abc import Callable, Sequence
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.money.kinds import CARD_PAYMENT
from porch.money.models import AccountTransaction, Payment, PaymentQuerySet, RentAccount
from porch.money.providers import CardProvider, ProviderUnavailable, Reported
from porch.money.services import holder_ids, records_shown
from porch.outbox.services import About, emit

logger = logging.getLogger(__name__)

# Letters that cannot be misread over the phone (no 0/O, 1/I/L).
_READABLE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def payment_start(
    *,
    actor: Actor,
    account: RentAccount,
    amount_pence: int,
    attempt_key: UUID,
    provider: CardProvider,
    return_url_for: Callable[[Payment], str],
    request: HttpRequest | None = None,
) -> Payment:
    """The payment of this attempt, with the provider's page to pay on. The provider is asked
    inside the row's lock, so a double submit waits for the first and is sent to the same page.
    Raises ProviderUnavailable: the row is kept, not started, as the record of the try, and the
    form gives the next try a key of its own."""
    unavailable = None
    with transaction.atomic():
        payment = _payment_of_attempt(actor, account, amount_pence, attempt_key, provider.name)
        if payment.status != Payment.Status.NOT_STARTED or payment.outcome:
            return payment
        try:
            started = provider.start(
                key=str(payment.uuid),
                amount_pence=payment.amount_pence,
                reference=payment.reference,
                description=f"{account.get_kind_display()} for {account.tenancy.property}"[:255],
                return_url=return_url_for(payment),
            )
        except ProviderUnavailable as error:
            unavailable = error
            payment.outcome = "Not started: the payment provider could not be reached"
            payment.save(update_fields=["outcome"])
            _audit(actor, payment, "create", "card payment not started: the provider could not be reached", request)
        else:
            payment.provider_id, payment.next_url = started.provider_id, started.next_url
            payment.status = Payment.Status.IN_PROGRESS
            payment.save(update_fields=["provider_id", "next_url", "status"])
            _audit(actor, payment, "create", f"card payment of {payment.amount_pence}p started", request)
    if unavailable is not None:
        raise unavailable
    return payment


def _payment_of_attempt(
    actor: Actor, account: RentAccount, amount_pence: int, attempt_key: UUID, provider_name: str
) -> Payment:
    """The row for this attempt, made now or by an earlier submit of the same form (locked)."""
    if actor.person_id is None:
        raise Http404  # only a resident with a record of their own pays
    found = Payment.objects.select_for_update().filter(attempt_key=attempt_key).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Payment.objects.create(
                    attempt_key=attempt_key,
                    reference=_new_reference(),
                    account=account,
                    tenancy_id=account.tenancy_id,
                    paid_by_id=actor.person_id,
                    amount_pence=amount_pence,
                    provider=provider_name,
                    is_test=account.tenancy.is_test,
                )
        except IntegrityError:  # the other submit made it first: wait for it, then use it
            found = Payment.objects.select_for_update().filter(attempt_key=attempt_key).first()
    if found is None or found.account_id != account.pk:
        # A key from another account's form: not this one's payment. Behind the database wall
        # another household's payment is not found at all, and its key is refused as taken.
        raise Http404
    return found


def _new_reference() -> str:
    return "PAY-" + "".join(secrets.choice(_READABLE) for _ in range(8))


def payment_check(*, actor: Actor, payment: Payment, provider: CardProvider, request: HttpRequest) -> Payment:
    """The resident is back from the provider's page: ask where the payment stands. If the
    provider cannot say now, the payment stays as it was (the callback will finish it). Staff
    viewing as the resident only read: they change nothing, not even by asking."""
    if payment.status == Payment.Status.IN_PROGRESS and not actor.is_viewing_as:
        with contextlib.suppress(ProviderUnavailable):
            reported = provider.report(payment.provider_id)
            if reported.provider_id == payment.provider_id:  # an answer about another payment settles nothing
                payment = settle(reported, provider.name) or payment
    _audit(actor, payment, "view", "card payment: whether it went through", request)
    return payment


def settle(reported: Reported, provider_name: str) -> Payment | None:
    """Record what the provider says, once: an unfinished payment becomes paid or not paid,
    and a paid one goes to the housing system. A finished one never changes again. None for a
    payment Porch never started. A message whose amount is not the payment's settles nothing:
    it is logged for the income team, and the payment waits."""
    if not reported.provider_id:
        return None
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider_name, provider_id=reported.provider_id)
            .select_related("account")
            .first()
        )
        if payment is None:
            return None
        if payment.finished or reported.paid is None:
            return payment
        if reported.amount_pence is not None and reported.amount_pence != payment.amount_pence:
            logger.error(
                "payments: %s reported for %sp, not %sp", payment.reference, reported.amount_pence, payment.amount_pence
            )
            return payment
        payment.status = Payment.Status.PAID if reported.paid else Payment.Status.NOT_PAID
        payment.outcome = reported.words
        payment.finished_at = timezone.now()
        payment.save(update_fields=["status", "outcome", "finished_at"])
        if reported.paid:
            _send_to_housing_system(payment)
    return payment


def _send_to_housing_system(payment: Payment) -> None:
    holders = holder_ids([payment.tenancy_id])[payment.tenancy_id]
    emit(
        "payment.received",
        about=About(payment.reference, holders, payment.is_test),
        payload={
            "payment_reference": payment.reference,
            "account_ref": payment.account.hms_reference,
            "amount_pence": payment.amount_pence,
            "paid_at": payment.finished_at.isoformat() if payment.finished_at else None,
            "provider": payment.provider,
            "provider_id": payment.provider_id,
        },
    )


def _audit(actor: Actor, payment: Payment, action: str, what: str, request: HttpRequest | None) -> None:
    holders = holder_ids([payment.tenancy_id])[payment.tenancy_id]
    record(
        actor=actor,
        action=action,
        object_type=CARD_PAYMENT,
        object_id=payment.uuid,
        subject_ids=holders,
        tenancy_id=payment.tenancy_id,
        reason=f"{payment.reference}: {what}",
        request=request,
    )


def payments_looked_up(*, actor: Actor, payments: Sequence[Payment], term: str, request: HttpRequest) -> None:
    """One audit row per payment shown and account holder; a search that found none is still
    a search, recorded with what was asked."""
    payments_shown(actor=actor, payments=payments, request=request, what=f"payment lookup: {term}", action="search")
    if not payments:
        record_many(
            actor=actor,
            action="search",
            object_type=CARD_PAYMENT,
            seen=[Seen(reason=f"payment lookup: {term}")],
            request=request,
        )


def payments_shown(
    *, actor: Actor, payments: Sequence[Payment], request: HttpRequest, what: str, action: str = "view"
) -> None:
    """One audit row per payment shown and account holder."""
    records_shown(actor=actor, kind=CARD_PAYMENT, records=payments, request=request, what=what, action=action)


def unfinished(account: RentAccount, actor: Actor) -> Sequence[Payment]:
    """Payments into the account started in the last hour that the provider has not finished:
    the pay page warns of them, so a second tab does not pay twice."""
    since = timezone.now() - datetime.timedelta(hours=1)
    found: PaymentQuerySet = Payment.objects.visible_to(actor).filter(
        account=account, status=Payment.Status.IN_PROGRESS, created_at__gte=since
    )
    return list(found.order_by("-created_at"))


def on_their_way(account: RentAccount, actor: Actor) -> Sequence[Payment]:
    """Payments made here that went through but the housing system has not posted yet: the
    account page shows them, so nobody pays twice while waiting."""
    posted = AccountTransaction.objects.filter(account_id=account.pk, payment_reference=OuterRef("reference"))
    found: PaymentQuerySet = Payment.objects.visible_to(actor).filter(account=account, status=Payment.Status.PAID)
    return list(found.filter(~Exists(posted)).order_by("-finished_at"))
