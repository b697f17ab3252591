"""Totals against the transactions, for any history (Hypothesis): a statement's balances add
up to its transactions, statements of adjacent periods chain, the balance the housing system
gave is the balance at the end of its day, and the account page's running balance agrees.
Each example is written in a savepoint and rolled back, so examples never see each other."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.money.access import history_page
from porch.money.models import AccountTransaction, Frequency, RentAccount
from porch.money.statements import statement_for

DAYS = 60
# (days before today, pence added to what is owed): charges above nothing, payments below.
HISTORY = st.lists(st.tuples(st.integers(0, DAYS), st.integers(-500_000, 500_000)), max_size=30)


def account_with(cast: Cast, history: list[tuple[int, int]], balance: int, worked_out_days_ago: int) -> RentAccount:
    today = timezone.localdate()
    account = RentAccount.objects.create(
        hms_reference="RA-PROPERTY",
        tenancy=cast["ashton"].tenancy,
        kind=RentAccount.Kind.RENT,
        balance_pence=balance,
        balance_at=timezone.now() - datetime.timedelta(days=worked_out_days_ago),
        charge_pence=9840,
        charge_every=Frequency.WEEK,
    )
    AccountTransaction.objects.bulk_create(
        AccountTransaction(
            hms_reference=f"TX-PROPERTY-{n}",
            account=account,
            tenancy=account.tenancy,
            posted_on=today - datetime.timedelta(days=days_ago),
            kind=AccountTransaction.Kind.CHARGE if pence >= 0 else AccountTransaction.Kind.PAYMENT,
            description=f"Line {n}",
            amount_pence=pence,
        )
        for n, (days_ago, pence) in enumerate(history)
    )
    return account


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    history=HISTORY,
    balance=st.integers(-1_000_000, 1_000_000),
    worked_out=st.integers(0, DAYS),
    cuts=st.lists(st.integers(0, DAYS), min_size=3, max_size=3, unique=True).map(sorted),
)
def test_statements_add_up_and_chain_and_meet_the_housing_systems_balance(
    cast: Cast, history: list[tuple[int, int]], balance: int, worked_out: int, cuts: list[int]
) -> None:
    today = timezone.localdate()
    alice = actor_for_user(cast.resident("alice"), verified=True)
    with transaction.atomic():
        account = account_with(cast, history, balance, worked_out)
        oldest, middle, newest = (today - datetime.timedelta(days=days) for days in reversed(cuts))
        first = statement_for(alice, account, oldest, middle)
        second = statement_for(alice, account, middle + datetime.timedelta(days=1), newest)
        in_first = [p for d, p in history if oldest <= today - datetime.timedelta(days=d) <= middle]
        assert first.carried_forward - first.brought_forward == sum(in_first)
        assert [after for _, after in first.lines][-1:] == ([first.carried_forward] if in_first else [])
        assert second.brought_forward == first.carried_forward
        worked_out_on = timezone.localdate(account.balance_at)
        on_the_day = statement_for(alice, account, worked_out_on, worked_out_on)
        assert on_the_day.carried_forward == balance
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=HISTORY, balance=st.integers(-1_000_000, 1_000_000), worked_out=st.integers(0, DAYS))
def test_the_account_pages_running_balance_agrees_with_a_statement(
    cast: Cast, history: list[tuple[int, int]], balance: int, worked_out: int
) -> None:
    today = timezone.localdate()
    alice = actor_for_user(cast.resident("alice"), verified=True)
    with transaction.atomic():
        account = account_with(cast, history, balance, worked_out)
        everything = statement_for(alice, account, today - datetime.timedelta(days=DAYS), today)
        by_statement = {row.pk: after for row, after in everything.lines}
        page = history_page(alice, account, since=None, number="1")
        worked_out_on = timezone.localdate(account.balance_at)
        for line in page.lines:
            if line.transaction.posted_on <= worked_out_on:
                assert line.balance_after == by_statement[line.transaction.pk]
            else:
                assert line.balance_after is None
        transaction.set_rollback(True)
