"""Refunds, for income officers only: propose one on a card payment, and decide the ones
another officer proposed (never one's own). ADR 0024."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.amounts import as_typed
from porch.money.chosen_provider import payments_on, provider
from porch.money.forms import RefundDecisionForm, RefundForm
from porch.money.models import Refund
from porch.money.payments import payments_looked_up
from porch.money.providers import ProviderUnavailable
from porch.money.refunds import RefundRefused, refund_decide, refund_propose, refund_send, refunded_pence

INCOME_OFFICERS = staff(StaffRole.INCOME_OFFICER, personal_data=True)
NOT_CONFIRMED = (
    "We could not confirm it with the card payment provider, so it may not have been sent yet. "
    "Send it again from this page: it will not be refunded twice."
)


@audience(INCOME_OFFICERS)
def refund_propose_page(request: PorchRequest, code: UUID) -> HttpResponse:
    payment = access.get_payment_for_staff(request.actor, code)
    left = payment.amount_pence - refunded_pence(payment, waiting_too=True)
    form = RefundForm(request.POST or None, initial={"amount": as_typed(left)})
    form.fields["amount"].most_pence = max(left, 1)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            refund_propose(
                actor=request.actor,
                payment=payment,
                amount_pence=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except RefundRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"Refund on {payment.reference} proposed. Another income officer must approve it."
            )
            return redirect("money:refunds")
    payments_looked_up(actor=request.actor, payments=[payment], term="refund", request=request)
    return render(request, "money/staff/refund_propose.html", {"payment": payment, "form": form, "left": left})


@audience(INCOME_OFFICERS)
def refunds_waiting(request: PorchRequest) -> HttpResponse:
    waiting = access.refunds_waiting(request.actor)
    payments_looked_up(
        actor=request.actor, payments=[r.payment for r in waiting], term="refunds waiting", request=request
    )
    return render(request, "money/staff/refunds.html", {"waiting": waiting})


@audience(INCOME_OFFICERS)
def refund_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    """Decide a proposed refund; or send one approved and not yet confirmed by the provider."""
    refund = access.get_refund_for(request.actor, code)
    form = RefundDecisionForm(request.POST or None)
    if request.method == "POST" and (refund.status == Refund.Status.SENDING or form.is_valid()):
        if not payments_on():
            raise Http404
        try:
            decided = _decided(request, refund, form)
        except RefundRefused as refusal:
            form.add_error(None, str(refusal))
        except ProviderUnavailable:
            messages.warning(request, f"Refund on {refund.payment.reference} approved. {NOT_CONFIRMED}")
            return redirect("money:refund", refund.uuid)
        else:
            messages.success(request, f"Refund on {refund.payment.reference}: {decided.get_status_display().lower()}.")
            return redirect("money:refunds")
    payments_looked_up(actor=request.actor, payments=[refund.payment], term="refund", request=request)
    mine = refund.proposed_by_id == request.actor.user_id
    context = {"refund": refund, "form": form, "mine": mine, "not_confirmed": NOT_CONFIRMED}
    return render(request, "money/staff/refund.html", context)


def _decided(request: PorchRequest, refund: Refund, form: RefundDecisionForm) -> Refund:
    if refund.status == Refund.Status.SENDING:
        return refund_send(actor=request.actor, refund=refund, provider=provider(), request=request)
    approve = form.cleaned_data["decision"] == "approve"
    return refund_decide(actor=request.actor, refund=refund, approve=approve, provider=provider(), request=request)
