"""The resident's rent and service-charge accounts: a page of their own, and a panel on their
home page. Every balance shown is the housing system's, with when it was worked out."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.money import access, statement_pdf, statements
from porch.money.arrangement_views import arrangement_context
from porch.money.chosen_provider import direct_debits_on, payments_on
from porch.money.forms import CSV, PDF, StatementForm
from porch.money.invoice_views import invoice_context
from porch.money.models import RentAccount, hidden_from_view_as
from porch.money.payments import on_their_way, payments_shown
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
    period = chosen_period(request.GET)
    history = access.history_page(request.actor, account, since=period_start(period), number=request.GET.get("page"))
    accounts_shown(actor=request.actor, accounts=[account], request=request, what="balance and transactions")
    waiting = on_their_way(account, request.actor)
    payments_shown(actor=request.actor, payments=waiting, request=request, what="on its way, on the account page")
    context = {
        "account": account,
        "page": history.page,
        "lines": history.lines,
        "periods": PERIODS,
        "period": period,
        "may_pay": payments_on() and not request.actor.is_viewing_as,
        "may_direct_debit": direct_debits_on(),
        "waiting": waiting,
    }
    context |= arrangement_context(request, account)
    context |= invoice_context(request, account)
    return render(request, "money/account.html", context)


def chosen_period(query: QueryDict) -> str:
    """The period asked for; one nobody offered is the usual one, not an error page."""
    period = query.get("period", DEFAULT_PERIOD)
    return period if period in {key for key, _, _ in PERIODS} else DEFAULT_PERIOD


def period_start(period: str) -> datetime.date | None:
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
    """Ask for a period and a format; a valid choice downloads the statement as PDF or CSV.
    A PDF of more transactions than one lists, or on a server that cannot draw PDFs, goes back
    to the form with the reason (the second with the CSV chosen), having shown nothing."""
    account = access.get_account_for(request.actor, code)
    form = StatementForm(request.GET if "start_day" in request.GET else None)
    if not form.is_valid():
        return _statement_form(request, account, form)
    start, end, chosen = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["format"]
    made = statements.statement_for(request.actor, account, start, end)
    try:
        response = _pdf(request.actor, made) if chosen == PDF else _csv(made)
    except statement_pdf.TooLong as refused:
        form.add_error("format", str(refused))
        return _statement_form(request, account, form)
    except statement_pdf.PdfUnavailable:
        offer_csv = StatementForm({**request.GET.dict(), "format": CSV})
        return _statement_form(request, account, offer_csv, no_pdf=True)
    accounts_shown(actor=request.actor, accounts=[account], request=request, what=f"statement {start} to {end}")
    name = f"statement-{account.hms_reference}-{start}-to-{end}.{chosen}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _statement_form(request: PorchRequest, account: RentAccount, form: StatementForm, **more: Any) -> HttpResponse:
    context = {"account": account, "form": form, "quick": _quick_statements(account), **more}
    return render(request, "money/statement.html", context)


# The periods most asked for, offered as links: (words, days back).
QUICK_PERIODS = (("the last 3 months", 92), ("the last 12 months", 366))


def _quick_statements(account: RentAccount) -> list[tuple[str, str, str]]:
    """(words, PDF link, CSV link) for each quick period, up to today."""
    today = timezone.localdate()
    base = reverse("money:statement", args=[account.uuid])
    quick = []
    for words, days in QUICK_PERIODS:
        start = today - datetime.timedelta(days=days)
        period = {
            "start_day": start.day,
            "start_month": start.month,
            "start_year": start.year,
            "end_day": today.day,
            "end_month": today.month,
            "end_year": today.year,
        }
        quick.append(
            (words, f"{base}?{urlencode({**period, 'format': PDF})}", f"{base}?{urlencode({**period, 'format': CSV})}")
        )
    return quick


def _pdf(actor: Actor, made: statements.Statement) -> HttpResponse:
    return HttpResponse(statement_pdf.as_pdf(actor, made), content_type="application/pdf")


def _csv(made: statements.Statement) -> HttpResponse:
    return HttpResponse(statements.as_csv(made), content_type="text/csv; charset=utf-8")
