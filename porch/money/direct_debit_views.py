"""Direct Debit for an account the resident holds: see it, set one up, change its day or
amount, stop it; and the provider's signed messages about mandates. ADR 0024."""

from __future__ import annotations

import logging
from uuid import UUID, uuid4

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from porch.core import rls
from porch.core.routes import PAYMENT_PROVIDER, RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.amounts import as_typed
from porch.money.chosen_provider import direct_debit_provider, direct_debits_on
from porch.money.direct_debits import (
    live_mandates,
    mandate_change,
    mandate_news,
    mandate_start,
    mandate_stop,
    mandates_shown,
)
from porch.money.forms import DirectDebitChangeForm, DirectDebitForm
from porch.money.gocardless import DetailsRefused
from porch.money.models import DirectDebitMandate, RentAccount
from porch.money.payment_views import MOST_CALLBACK_BYTES, refused
from porch.money.providers import BankDetails, NotFromProvider, ProviderUnavailable

logger = logging.getLogger(__name__)
UNAVAILABLE = (
    "We could not reach our Direct Debit provider, so nothing has been set up or changed. "
    "Please try again in a few minutes."
)


def _account(request: PorchRequest, code: UUID) -> RentAccount:
    if not direct_debits_on():
        raise Http404
    return access.get_account_for(request.actor, code)


@audience(RESIDENT)
@module("money")
def direct_debit(request: PorchRequest, code: UUID) -> HttpResponse:
    account = _account(request, code)
    mandates = live_mandates(request.actor, account)
    mandates_shown(actor=request.actor, mandates=mandates, request=request, what="Direct Debit page")
    return render(request, "money/direct_debit.html", {"account": account, "mandates": mandates})


@audience(RESIDENT)
@module("money")
@sensitive_post_parameters("sort_code", "account_number", "holder_name")
@sensitive_variables("form", "data", "bank")
def direct_debit_new(request: PorchRequest, code: UUID) -> HttpResponse:
    """Bank details, straight to the provider; kept here: the last two digits."""
    account = _account(request, code)
    form = DirectDebitForm(request.POST or None, attempt_key=uuid4())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bank = BankDetails(data["holder_name"], data["sort_code"], data["account_number"])
        try:
            mandate_start(
                actor=request.actor,
                account=account,
                bank=bank,
                collection_day=data["collection_day"],
                amount_pence=data["amount"],
                attempt_key=data["attempt_key"],
                provider=direct_debit_provider(),
                request=request,
            )
        except ProviderUnavailable:
            form = form.again_with_a_new_key(UNAVAILABLE)
        except DetailsRefused as refusal:
            refused = f"Your bank details were not accepted ({refusal}). Check them and try again"
            form = form.again_with_a_new_key(refused, "account_number")
        else:
            messages.success(request, "Your Direct Debit is being set up. It usually takes 3 working days.")
            return redirect("money:direct_debit", account.uuid)
    return render(request, "money/direct_debit_new.html", {"account": account, "form": form})


@audience(RESIDENT)
@module("money")
def direct_debit_change(request: PorchRequest, code: UUID) -> HttpResponse:
    account = _account(request, code)
    mandate = _the_live_one(request, account)
    initial = {"collection_day": mandate.collection_day, "amount": as_typed(mandate.amount_pence)}
    form = DirectDebitChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        day, amount = form.cleaned_data["collection_day"], form.cleaned_data["amount"]
        mandate_change(actor=request.actor, mandate=mandate, collection_day=day, amount_pence=amount, request=request)
        messages.success(request, "We have changed your Direct Debit. We will write to confirm before the next one.")
        return redirect("money:direct_debit", account.uuid)
    mandates_shown(actor=request.actor, mandates=[mandate], request=request, what="to change it")
    context = {"account": account, "mandate": mandate, "form": form}
    return render(request, "money/direct_debit_change.html", context)


@audience(RESIDENT)
@module("money")
def direct_debit_stop(request: PorchRequest, code: UUID) -> HttpResponse:
    account = _account(request, code)
    mandate = _the_live_one(request, account)
    problem = ""
    if request.method == "POST":
        try:
            mandate_stop(actor=request.actor, mandate=mandate, provider=direct_debit_provider(), request=request)
        except ProviderUnavailable:
            problem = UNAVAILABLE
        else:
            messages.success(request, "Your Direct Debit has been stopped. Remember to pay another way.")
            return redirect("money:direct_debit", account.uuid)
    mandates_shown(actor=request.actor, mandates=[mandate], request=request, what="to stop it")
    context = {"account": account, "mandate": mandate, "problem": problem}
    return render(request, "money/direct_debit_stop.html", context)


def _the_live_one(request: PorchRequest, account: RentAccount) -> DirectDebitMandate:
    """The newest live mandate: the one a change or a stop is about."""
    mandates = live_mandates(request.actor, account)
    if not mandates:
        raise Http404
    return mandates[0]


@audience(PAYMENT_PROVIDER)
@require_POST
@rls.answered_by_system
def direct_debit_callback(request: PorchRequest) -> HttpResponse:
    """The Direct Debit provider's messages about mandates, signed with its webhook secret.
    A message about a mandate Porch never set up is ignored; the same message twice changes
    nothing."""
    if not direct_debits_on():
        return refused(404, "Direct Debit is not set up here.")
    body = request.read(MOST_CALLBACK_BYTES + 1)
    if len(body) > MOST_CALLBACK_BYTES:
        return refused(413, "Too large to be a Direct Debit message.")
    adapter = direct_debit_provider()
    try:
        news = adapter.callback(body, request.headers)
    except NotFromProvider as error:
        logger.warning("direct debit: callback refused: %s", error)
        return refused(401, str(error))
    for item in news:
        mandate_news(item, adapter)
    return JsonResponse({"received": len(news)})
