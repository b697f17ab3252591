"""The resident's rent and service-charge accounts: a page of their own, and a panel on their
home page. Every balance shown is the housing system's, with when it was worked out."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.money import access, statements
from porch.money.arrangement_views import arrangement_context
from porch.money.forms import StatementForm
from porch.money.models import hidden_from_view_as
from porch.money.services import accounts_shown

# The periods the history can be shown for: (key, words, days back; None is everything).
PERIODS = (("3m", "the last 3 months", 92), ("12m", "the last 12 months", 366), ("all", "all transactions", None))
DEFAULT_PERIOD = "3m"


@audience(RESIDENT)
@module("money")
def account_list(request: PorchRequest) -> HttpResponse:
    accounts = list(access.accounts_for_resident(request.actor))
    accounts_shown(actor=request.actor, accounts=accounts, request=request)
    context = {"accounts": accounts, "hidden_from_staff": hidden_from_view_as(request.actor)}
    return render(request, "money/accounts.html", context)


@audience(RESIDENT)
@module("money")
def account_detail(request: PorchRequest, code: str) -> HttpResponse:
    account = access.get_account_for(request.actor, code)
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in {key for key, _, _ in PERIODS}:
        period = DEFAULT_PERIOD  # a period nobody offered: the usual one, not an error page
    history = access.history_page(request.actor, account, since=_since(period), number=request.GET.get("page"))
    accounts_shown(actor=request.actor, accounts=[account], request=request, what="balance and transactions")
    context = {"account": account, "page": history.page, "lines": history.lines, "periods": PERIODS, "period": period}
    context |= arrangement_context(request, account)
    return render(request, "money/account.html", context)


def _since(period: str) -> datetime.date | None:
    days = next(days for key, _, days in PERIODS if key == period)
    return None if days is None else timezone.localdate() - datetime.timedelta(days=days)


def home_panel(request: PorchRequest) -> Mapping[str, Any] | None:
    """The way to the rent account. It reads nothing: the home page already runs its ten
    queries (porch/portal/tests/test_query_counts.py), and a balance on it would be a read of
    the account, audited, on every visit home."""
    return {}


@audience(RESIDENT)
@module("money")
def statement(request: PorchRequest, code: str) -> HttpResponse:
    """Ask for a period; a valid one downloads the statement as CSV."""
    account = access.get_account_for(request.actor, code)
    form = StatementForm(request.GET if "start_day" in request.GET else None)
    if not form.is_valid():
        return render(request, "money/statement.html", {"account": account, "form": form})
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    made = statements.statement_for(request.actor, account, start, end)
    accounts_shown(actor=request.actor, accounts=[account], request=request, what=f"statement {start} to {end}")
    response = HttpResponse(statements.as_csv(made), content_type="text/csv; charset=utf-8")
    name = f"statement-{account.hms_reference}-{start}-to-{end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
