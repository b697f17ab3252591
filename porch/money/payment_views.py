"""Pay now: the resident says how much, pays on the provider's page, and comes back to see
whether it went through. The provider's callback settles a payment the resident never came
back from (they closed the tab). ADR 0024."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.http import require_POST

from porch.core import rls
from porch.core.routes import PAYMENT_PROVIDER, RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.amounts import as_typed
from porch.money.chosen_provider import payments_on, provider
from porch.money.forms import PayForm
from porch.money.models import Payment, RentAccount
from porch.money.payments import on_their_way, payment_check, payment_start, payments_shown, settle, unfinished
from porch.money.providers import NotFromProvider, ProviderUnavailable
from porch.money.sandbox import sandbox_answer, sandbox_payment
from porch.money.services import accounts_shown

logger = logging.getLogger(__name__)

# A provider's message about one payment is a few kilobytes; anything far larger is not one.
MOST_CALLBACK_BYTES = 64 * 1024
UNAVAILABLE = (
    "We could not reach our card payment provider, so no money has been taken. Please try again in a few minutes."
)


@audience(RESIDENT)
@module("money")
def pay(request: PorchRequest, code: str) -> HttpResponse:
    """How much to pay; a valid amount goes to the provider's page to pay it."""
    account = _payable(request, code)
    form = PayForm(request.POST or None, initial=_suggested(account), attempt_key=uuid4())
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_start(
                actor=request.actor,
                account=account,
                amount_pence=form.cleaned_data["amount"],
                attempt_key=form.cleaned_data["attempt_key"],
                provider=provider(),
                return_url_for=_return_url,
                request=request,
            )
        except ProviderUnavailable:
            payment = None
        if payment is not None and payment.status == Payment.Status.IN_PROGRESS and _a_payment_page(payment.next_url):
            return HttpResponseRedirect(payment.next_url, status=303)
        if payment is not None and payment.finished:
            return redirect("money:payment", payment.uuid)
        form = form.again_with_a_new_key(UNAVAILABLE)
    waiting, started = on_their_way(account, request.actor), unfinished(account, request.actor)
    accounts_shown(actor=request.actor, accounts=[account], request=request, what="balance, to pay by card")
    payments_shown(actor=request.actor, payments=[*waiting, *started], request=request, what="on the pay page")
    context = {"account": account, "form": form, "waiting": waiting, "started": started}
    response = render(request, "money/pay.html", context)
    # The form's answer sends the browser on to the provider's page: browsers hold that
    # redirect to this page's form-action, so the provider's origin is allowed here alone.
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "form-action": [CSP.SELF, *settings.PAYMENTS_PAGE_ORIGINS],
    }
    return response


def _a_payment_page(url: str) -> bool:
    """Only the provider's own pages (or the sandbox's, on this site): an answer sending the
    resident anywhere else is never followed."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return url.startswith("/") and not url.startswith("//")
    if f"{parts.scheme}://{parts.netloc}" in settings.PAYMENTS_PAGE_ORIGINS:
        return True
    logger.error("payments: the provider's payment page %s is not in PAYMENTS_PAGE_ORIGINS", parts.netloc)
    return False


def _payable(request: PorchRequest, code: str) -> RentAccount:
    if not payments_on():
        raise Http404
    return access.get_account_for(request.actor, code)


def _suggested(account: RentAccount) -> dict[str, str]:
    return {"amount": as_typed(account.balance_pence)} if account.balance_pence > 0 else {}


def _return_url(payment: Payment) -> str:
    """Where the provider sends the resident back: the payment's own page."""
    return settings.PORTAL_URL.rstrip("/") + reverse("money:payment", args=[payment.uuid])


@audience(RESIDENT)
@module("money")
def payment_detail(request: PorchRequest, code: str) -> HttpResponse:
    """Whether the payment went through, asking the provider if it has not said yet."""
    payment = access.get_payment_for(request.actor, code)
    if payments_on() and payment.provider == settings.PAYMENTS_PROVIDER:
        payment = payment_check(actor=request.actor, payment=payment, provider=provider(), request=request)
    return render(request, "money/payment.html", {"payment": payment, "account": payment.account})


@audience(PAYMENT_PROVIDER)
@require_POST
@rls.answered_by_system
def payment_callback(request: PorchRequest) -> HttpResponse:
    """The provider telling Porch how a payment ended. Signed with the webhook secret; a
    message for a payment Porch never started is refused (404), and the provider may send the
    same message again: settling twice changes nothing."""
    if not payments_on():
        return refused(404, "Online payments are not set up here.")
    body = request.read(MOST_CALLBACK_BYTES + 1)
    if len(body) > MOST_CALLBACK_BYTES:
        return refused(413, "Too large to be a payment message.")
    adapter = provider()
    try:
        reported = adapter.callback(body, request.headers)
    except NotFromProvider as error:
        logger.warning("payments: callback refused: %s", error)
        return refused(401, str(error))
    if settle(reported, adapter.name) is None:
        return refused(404, "No payment here has this id.")
    return JsonResponse({"received": True})


def refused(status: int, why: str) -> HttpResponse:
    response = JsonResponse({"error": why}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@audience(RESIDENT)
@module("money")
def sandbox_pay(request: PorchRequest, code: str) -> HttpResponse:
    """The demo's pretend payment page: asks no card details, only whether it goes through.
    Its address is the payment's own id, so only the payment's account holders open it."""
    payment = access.get_payment_for(request.actor, code)
    state = sandbox_payment(payment.provider_id) if settings.PAYMENTS_PROVIDER == "sandbox" else None
    if state is None:
        raise Http404
    if request.method == "POST":
        back = sandbox_answer(payment.provider_id, paid=request.POST.get("answer") == "pay")
        return HttpResponseRedirect(back or "/", status=303)
    return render(request, "money/sandbox_pay.html", {"state": state})
