"""Staff pages about money.

The income team's: the accounts in arrears, with filters, and one tenancy's account. Open to
the roles that read every account (income officers and the DPO, with current training);
anyone else is refused by the route's audience (403). Every page that shows an account is
audited to its account holders: the list as "list", an account as "view".

The income team's reconciliation of card payments against the housing system's record.

And customer services' (with the income team's and the DPO's): "did my payment go through?",
from a payment's or a tenancy's reference, without the account's balance or history."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from porch.core.paging import page_of
from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.arrangement_services import accounts_behind
from porch.money.chosen_provider import payments_on, provider
from porch.money.forms import PaymentLookupForm
from porch.money.kinds import ACCOUNT_READERS, PAYMENT_READERS
from porch.money.models import Payment
from porch.money.payments import payment_check, payments_looked_up
from porch.money.reconcile import MOST, reconciliation
from porch.money.services import account_holders, accounts_shown
from porch.money.staff_forms import ArrearsFilterForm
from porch.money.views import PERIODS, chosen_period, period_start

INCOME_TEAM = staff(*sorted(ACCOUNT_READERS), personal_data=True)


@audience(INCOME_TEAM)
def arrears_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = ArrearsFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_bound and form.is_valid() else {}
    filters["behind"] = accounts_behind(actor, timezone.localdate()) if filters.get("behind") else None
    owed = access.arrears_for_staff(actor, filters)
    if form.errors:
        owed = owed.none()  # a filter that cannot be read shows nothing, never everything
    page = page_of(owed, request.GET, size=access.PAGE_SIZE, by="balance_pence")
    holders = account_holders([account.tenancy_id for account in page.items])
    accounts_shown(actor=actor, accounts=page.items, request=request, what="arrears list", action="list")
    rows = [(account, holders.get(account.tenancy_id, [])) for account in page.items]
    return render(request, "money/staff/arrears.html", {"form": form, "page": page, "rows": rows})


@audience(INCOME_TEAM)
def staff_account(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    account = access.get_account_for_staff(actor, code)
    period = chosen_period(request.GET)
    history = access.history_page(actor, account, since=period_start(period), number=request.GET.get("page"))
    holders = account_holders([account.tenancy_id]).get(account.tenancy_id, [])
    accounts_shown(actor=actor, accounts=[account], request=request, what="balance and transactions")
    context = {
        "account": account,
        "holders": holders,
        "page": history.page,
        "lines": history.lines,
        "periods": PERIODS,
        "period": period,
    }
    return render(request, "money/staff/account.html", context)


PAYMENT_LOOKUP = staff(*PAYMENT_READERS, personal_data=True)


@audience(PAYMENT_LOOKUP)
def payment_lookup(request: PorchRequest) -> HttpResponse:
    form = PaymentLookupForm(request.GET or None)
    found = None
    if form.is_valid():
        found = access.payments_for_staff(request.actor, form.cleaned_data["q"])
        payments_looked_up(actor=request.actor, payments=found, term=form.cleaned_data["q"], request=request)
    may_refund = StaffRole.INCOME_OFFICER in request.actor.roles
    return render(request, "money/staff_payments.html", {"form": form, "found": found, "may_refund": may_refund})


@audience(INCOME_TEAM)
def reconcile(request: PorchRequest) -> HttpResponse:
    """Card payments against the housing system's record of them."""
    found = reconciliation(request.actor)
    shown = found.not_posted + found.unfinished + [m.payment for m in found.mismatched if m.payment is not None]
    payments_looked_up(actor=request.actor, payments=shown, term="reconciliation", request=request)
    accounts_shown(
        actor=request.actor,
        accounts=list({m.transaction.account_id: m.transaction.account for m in found.mismatched}.values()),
        request=request,
        what="card payments posted by the housing system",
        action="list",
    )
    return render(request, "money/staff/reconcile.html", {"found": found, "most": MOST})


@audience(INCOME_TEAM)
@require_POST
def reconcile_check(request: PorchRequest, code: UUID) -> HttpResponse:
    """Ask the provider where an unfinished payment stands, and record its answer."""
    payment = access.get_payment_for_staff(request.actor, code)
    if payments_on() and payment.provider == settings.PAYMENTS_PROVIDER:
        payment = payment_check(actor=request.actor, payment=payment, provider=provider(), request=request)
    words = {Payment.Status.PAID: "went through", Payment.Status.NOT_PAID: "did not go through"}
    said = words.get(Payment.Status(payment.status), "is still not finished: the provider has not said")
    messages.info(request, f"{payment.reference} {said}.")
    return redirect("money:reconcile")
