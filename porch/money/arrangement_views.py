"""Arrangements to pay off arrears: the account holder's pages (offer one, see it sent,
withdraw it) and the income team's (the proposals waiting, and a page to decide each).

Residents reach an arrangement only through an account they hold now; the income team
reaches any but a test household's. Every page that shows one is audited, and so is the
account's balance beside it."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from porch.core.routes import RESIDENT, audience, module, staff
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.arrangement_forms import DecisionForm, ProposeForm
from porch.money.arrangement_services import (
    AlreadyDecided,
    AlreadyOpen,
    NotInArrears,
    arrangement_decide,
    arrangement_propose,
    arrangement_withdraw,
    arrangements_shown,
    progress_of,
)
from porch.money.models import PaymentArrangement, RentAccount
from porch.money.services import accounts_shown

DECIDERS = staff(*sorted(access.ARRANGEMENT_DECIDERS), personal_data=True)
PAGE_SIZE = 50


def arrangement_context(request: PorchRequest, account: RentAccount) -> dict[str, Any]:
    """For the account page: its newest arrangement (read, so audited), how it is being kept
    to, and whether the resident may offer one now."""
    actor = request.actor
    arrangement = access.latest_arrangement(actor, account)
    if arrangement is not None:
        arrangements_shown(actor=actor, arrangements=[arrangement], request=request)
    today = timezone.localdate()
    return {
        "arrangement": arrangement,
        "progress": progress_of(actor, arrangement, today) if arrangement else None,
        "may_propose": account.balance_pence > 0 and not (arrangement and arrangement.is_open),
    }


@audience(RESIDENT)
@module("money")
def propose(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    account = access.get_account_for(actor, code)
    # A form sent twice reaches the service, which answers the second with the first's record.
    asking = request.method != "POST"
    if account.balance_pence <= 0 or (asking and _has_open(request, account)):
        return _cannot_propose(request, account)
    form = ProposeForm(
        None if asking else request.POST,
        initial={"idempotency_key": uuid.uuid4()},
        arrears_pence=account.balance_pence,
        today=timezone.localdate(),
    )
    if not asking and form.is_valid():
        data = form.cleaned_data
        try:
            arrangement = arrangement_propose(
                actor=actor,
                account=account,
                amount_pence=data["amount"],
                every=data["every"],
                starts_on=data["starts_on"],
                note=data["note"],
                idempotency_key=data["idempotency_key"],
                request=request,
            )
        except (AlreadyOpen, NotInArrears):
            return _cannot_propose(request, account)
        return redirect("money:arrangement_sent", code=arrangement.uuid)
    accounts_shown(actor=actor, accounts=[account], request=request, what="balance, to offer an arrangement")
    return render(request, "money/arrangements/propose.html", {"account": account, "form": form})


def _has_open(request: PorchRequest, account: RentAccount) -> bool:
    latest = access.latest_arrangement(request.actor, account)
    return latest is not None and latest.is_open


def _cannot_propose(request: PorchRequest, account: RentAccount) -> HttpResponse:
    """Back to the account page, which shows the open arrangement or the balance, with why."""
    if account.balance_pence <= 0:
        messages.info(request, "You do not owe anything on this account, so there is nothing to pay off.")
    else:
        messages.info(request, "You already have an arrangement for this account. It is shown below.")
    return redirect("money:account", code=account.uuid)


@audience(RESIDENT)
@module("money")
def sent(request: PorchRequest, code: UUID) -> HttpResponse:
    arrangement = access.get_resident_arrangement_for(request.actor, code)
    arrangements_shown(actor=request.actor, arrangements=[arrangement], request=request)
    return render(request, "money/arrangements/sent.html", {"arrangement": arrangement})


@audience(RESIDENT)
@module("money")
def withdraw(request: PorchRequest, code: UUID) -> HttpResponse:
    """Ask to be sure; the POST withdraws a proposal still waiting for our answer."""
    actor = request.actor
    arrangement = access.get_resident_arrangement_for(actor, code)
    account = arrangement.account
    if request.method == "POST":
        try:
            arrangement_withdraw(actor=actor, arrangement=arrangement, request=request)
        except AlreadyDecided:
            messages.info(request, "We had already answered your request, so it was not withdrawn. See it below.")
        else:
            messages.success(request, "You have withdrawn your request to pay in instalments.")
        return redirect("money:account", code=account.uuid)
    if arrangement.status != PaymentArrangement.Status.PROPOSED:
        return redirect("money:account", code=account.uuid)
    arrangements_shown(actor=actor, arrangements=[arrangement], request=request)
    return render(request, "money/arrangements/withdraw.html", {"arrangement": arrangement})


@audience(DECIDERS)
def staff_queue(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.arrangements_waiting(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = list(page.object_list)
    arrangements_shown(actor=actor, arrangements=waiting, request=request, action="list")
    accounts = [arrangement.account for arrangement in waiting]
    accounts_shown(actor=actor, accounts=accounts, request=request, what="balance, in the arrangements waiting")
    return render(request, "money/arrangements/staff_queue.html", {"page": page, "waiting": waiting})


@audience(DECIDERS)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    arrangement = access.get_staff_arrangement_for(request.actor, code)
    return _decision_page(request, arrangement, None)


@audience(DECIDERS)
@require_POST
def staff_decide(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    arrangement = access.get_staff_arrangement_for(actor, code)
    if arrangement.status != PaymentArrangement.Status.PROPOSED:
        return _already_decided(request, arrangement)
    form = _decision_form(arrangement, request.POST)
    if not form.is_valid():
        return _decision_page(request, arrangement, form)
    try:
        decided = arrangement_decide(
            actor=actor,
            arrangement=arrangement,
            terms=form.terms(),
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except AlreadyDecided:
        return _already_decided(request, arrangement)
    words = {"agreed": "Agreed", "declined": "Declined"}[decided.status]
    messages.success(request, f"{words}. The resident will see your decision on their rent account.")
    return redirect("money:staff_arrangements")


def _already_decided(request: PorchRequest, arrangement: PaymentArrangement) -> HttpResponse:
    messages.info(request, "This proposal was withdrawn or decided by someone else meanwhile. Nothing has changed.")
    return redirect("money:staff_arrangement", code=arrangement.uuid)


def _decision_form(arrangement: PaymentArrangement, data: Any = None) -> DecisionForm:
    return DecisionForm(
        data,
        proposed_pence=arrangement.proposed_pence,
        proposed_every=arrangement.proposed_every,
        arrears_pence=arrangement.account.balance_pence,
    )


def _decision_page(request: PorchRequest, arrangement: PaymentArrangement, form: DecisionForm | None) -> HttpResponse:
    """The proposal beside the account's balance, and the decision while it still waits."""
    actor = request.actor
    arrangements_shown(actor=actor, arrangements=[arrangement], request=request)
    accounts_shown(
        actor=actor, accounts=[arrangement.account], request=request, what="balance, to decide an arrangement"
    )
    context = {
        "arrangement": arrangement,
        "account": arrangement.account,
        "form": form or _decision_form(arrangement),
        "waiting": arrangement.status == PaymentArrangement.Status.PROPOSED,
    }
    return render(request, "money/arrangements/staff_detail.html", context)
