"""A statement of an account for a period: the balance brought forward, each transaction with
the balance after it, and the balance carried forward, as CSV.

Every balance is worked from the one the housing system gave, as at the day it worked it out:
back through the transactions since a day before it, forward through those posted after it."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.spreadsheets import safe_cell
from porch.money.models import AccountTransaction, RentAccount, TransactionQuerySet

# A description written in the housing system could otherwise run as a formula on the
# resident's computer: every text cell goes through the one safe writer.
_cell = safe_cell


@dataclass(frozen=True)
class Statement:
    account: RentAccount
    start: datetime.date
    end: datetime.date
    brought_forward: int
    lines: list[tuple[AccountTransaction, int]]
    carried_forward: int


def statement_for(actor: Actor, account: RentAccount, start: datetime.date, end: datetime.date) -> Statement:
    history = AccountTransaction.objects.visible_to(actor).filter(account=account)
    opening = balance_at_end_of(account, history, start - datetime.timedelta(days=1))
    balance, lines = opening, []
    for row in history.filter(posted_on__gte=start, posted_on__lte=end).order_by("posted_on", "id"):
        balance += row.amount_pence
        lines.append((row, balance))
    return Statement(account, start, end, opening, lines, balance)


def balance_at_end_of(account: RentAccount, history: TransactionQuerySet, day: datetime.date) -> int:
    worked_out_on = timezone.localdate(account.balance_at)
    if day <= worked_out_on:
        between = history.filter(posted_on__gt=day, posted_on__lte=worked_out_on)
        return account.balance_pence - _total(between)
    return account.balance_pence + _total(history.filter(posted_on__gt=worked_out_on, posted_on__lte=day))


def _total(found: TransactionQuerySet) -> int:
    return int(found.aggregate(total=Sum("amount_pence"))["total"] or 0)


def as_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Date", "What", "Charges and refunds", "Payments and credits", "Balance owed"])
    writer.writerow(
        [statement.start.isoformat(), "Balance brought forward", "", "", _signed(statement.brought_forward)]
    )
    for row, balance in statement.lines:
        charged = _plain(row.amount_pence) if row.amount_pence >= 0 else ""
        paid = _plain(row.amount_pence) if row.amount_pence < 0 else ""
        writer.writerow([row.posted_on.isoformat(), _cell(row.description), charged, paid, _signed(balance)])
    writer.writerow([statement.end.isoformat(), "Balance carried forward", "", "", _signed(statement.carried_forward)])
    return out.getvalue()


def _plain(pence: int) -> str:
    """Pounds and pence as a spreadsheet reads a number: 1234.50, no sign, no £, no commas."""
    whole, part = divmod(abs(pence), 100)
    return f"{whole}.{part:02d}"


def _signed(pence: int) -> str:
    """What is owed, with a minus for credit, as a spreadsheet adds it up."""
    return ("-" if pence < 0 else "") + _plain(pence)
