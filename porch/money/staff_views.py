"""Staff pages about money. Customer services answer "did my payment go through?" from a
payment's or a tenancy's reference, without the account's balance or history."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.money import access
from porch.money.forms import PaymentLookupForm
from porch.money.models import PAYMENT_READERS
from porch.money.payments import payments_looked_up

PAYMENT_LOOKUP = staff(*PAYMENT_READERS, personal_data=True)


@audience(PAYMENT_LOOKUP)
def payment_lookup(request: PorchRequest) -> HttpResponse:
    form = PaymentLookupForm(request.GET or None)
    found = None
    if form.is_valid():
        found = access.payments_for_staff(request.actor, form.cleaned_data["q"])
        payments_looked_up(actor=request.actor, payments=found, term=form.cleaned_data["q"], request=request)
    return render(request, "money/staff_payments.html", {"form": form, "found": found})
