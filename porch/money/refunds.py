"""Refunds of card payments: one income officer proposes, a second approves (ADR 0024), and
only then is the money sent back through the provider that took it. Nothing is given back
twice: a payment has at most one refund waiting or sending, the amount is never more than
what is left, the provider is told what Porch believes is left (so it refuses a refund that
overlaps), and a refund sent again first looks for itself at the provider."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.money.kinds import CARD_PAYMENT
from porch.money.models import Payment, Refund
from porch.money.providers import CardProvider
from porch.money.services import holder_ids
from porch.money.templatetags.money import pounds
from porch.outbox.services import About, emit


class RefundRefused(Exception):
    """Why a refund cannot be proposed or decided, in words for the income officer."""


def refunded_pence(payment: Payment, *, waiting_too: bool) -> int:
    statuses = [Refund.Status.REFUNDED, *([Refund.Status.PROPOSED, Refund.Status.SENDING] if waiting_too else [])]
    found = Refund.objects.filter(payment=payment, status__in=statuses).aggregate(total=Sum("amount_pence"))
    return found["total"] or 0


def refund_propose(
    *, actor: Actor, payment: Payment, amount_pence: int, reason: str, request: HttpRequest | None = None
) -> Refund:
    if actor.user_id is None:
        raise RefundRefused("Only a signed-in income officer can propose a refund.")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != Payment.Status.PAID:
            raise RefundRefused("Only a payment that went through can be refunded.")
        left = locked.amount_pence - refunded_pence(locked, waiting_too=True)
        if amount_pence > left:
            raise RefundRefused(f"At most {pounds(left)} of this payment is left to refund.")
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    payment=locked,
                    tenancy_id=locked.tenancy_id,
                    amount_pence=amount_pence,
                    reason=reason,
                    proposed_by_id=actor.user_id,
                )
        except IntegrityError:
            raise RefundRefused("A refund of this payment is already waiting for a second person.") from None
        _audit(actor, refund, "create", "refund proposed", request)
    return refund


def refund_decide(
    *, actor: Actor, refund: Refund, approve: bool, provider: CardProvider, request: HttpRequest | None = None
) -> Refund:
    """Approve (and send) or reject, by someone other than the proposer. An approval is
    recorded first, as sending; then the money is sent (refund_send). If the provider cannot
    be reached, it stays sending: approved, not yet confirmed, and finished by trying again."""
    if refund.proposed_by_id == actor.user_id:
        raise RefundRefused("You proposed this refund, so another income officer must decide it.")
    if approve:
        _check_provider(refund.payment, provider)
    with transaction.atomic():
        locked = Refund.objects.select_for_update().filter(pk=refund.pk, status=Refund.Status.PROPOSED).first()
        if locked is None:
            raise RefundRefused("Someone has already decided this refund.")
        locked.status = Refund.Status.SENDING if approve else Refund.Status.REJECTED
        locked.decided_by_id, locked.decided_at = actor.user_id, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(actor, locked, "update", "refund approved" if approve else "refund not approved", request)
    return refund_send(actor=actor, refund=locked, provider=provider, request=request) if approve else locked


def refund_send(*, actor: Actor, refund: Refund, provider: CardProvider, request: HttpRequest | None = None) -> Refund:
    """Send an approved refund, or find that an earlier try already did: a refund at the provider
    that no refund here has claimed, for this amount, is this one. So a try whose answer was
    lost, or whose commit failed after the provider took it, never refunds twice. Raises
    ProviderUnavailable, leaving it sending."""
    with transaction.atomic():
        locked = Refund.objects.select_for_update().filter(pk=refund.pk, status=Refund.Status.SENDING).first()
        if locked is None:
            raise RefundRefused("This refund is not waiting to be sent.")
        payment = Payment.objects.select_for_update().select_related("account").get(pk=locked.payment_id)
        _check_provider(payment, provider)
        claimed = set(
            Refund.objects.filter(payment=payment, status=Refund.Status.REFUNDED).values_list(
                "provider_refund_id", flat=True
            )
        )
        earlier = [
            made
            for made, pence in provider.refunds(payment.provider_id)
            if made not in claimed and pence == locked.amount_pence
        ]
        if earlier:
            locked.provider_refund_id = earlier[0]
        else:
            available = payment.amount_pence - refunded_pence(payment, waiting_too=False)
            locked.provider_refund_id = provider.refund(
                payment.provider_id, amount_pence=locked.amount_pence, available_pence=available
            )
        locked.status = Refund.Status.REFUNDED
        locked.save(update_fields=["status", "provider_refund_id"])
        _audit(actor, locked, "update", "refund sent", request)
        _tell_housing_system(locked, payment)
    return locked


def _check_provider(payment: Payment, provider: CardProvider) -> None:
    if payment.provider != provider.name or payment.provider != settings.PAYMENTS_PROVIDER:
        raise RefundRefused(f"This payment was taken by {payment.provider}, which is not set up here now.")


def _tell_housing_system(refund: Refund, payment: Payment) -> None:
    emit(
        "refund.made",
        about=About(payment.reference, holder_ids([payment.tenancy_id])[payment.tenancy_id], payment.is_test),
        payload={
            "refund": str(refund.uuid),
            "payment_reference": payment.reference,
            "account_ref": payment.account.hms_reference,
            "amount_pence": refund.amount_pence,
            "provider": payment.provider,
            "provider_refund_id": refund.provider_refund_id,
            "refunded_at": refund.decided_at.isoformat() if refund.decided_at else None,
        },
    )


def _audit(actor: Actor, refund: Refund, action: str, what: str, request: HttpRequest | None) -> None:
    record(
        actor=actor,
        action=action,
        object_type=CARD_PAYMENT,
        object_id=refund.payment.uuid,
        subject_ids=holder_ids([refund.tenancy_id])[refund.tenancy_id],
        tenancy_id=refund.tenancy_id,
        reason=f"{refund.payment.reference}: {what} ({refund.amount_pence}p)",
        request=request,
    )
