"""The arithmetic of an arrangement: when payments fall due, and whether what was paid in
keeps to what was agreed."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from porch.money.arrangements import Progress, due_dates, offer_limits, progress
from porch.money.models import ARRANGEMENT_FREQUENCIES, Frequency

MONDAY = datetime.date(2026, 11, 2)
EVERY = st.sampled_from([every.value for every in Frequency])
DAYS = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))
PENCE = st.integers(min_value=0, max_value=10**7)


@pytest.mark.parametrize(
    ("every", "start", "today", "count"),
    [
        (Frequency.WEEK, MONDAY, MONDAY - datetime.timedelta(days=1), 0),  # not started
        (Frequency.WEEK, MONDAY, MONDAY, 1),  # due on the first day
        (Frequency.WEEK, MONDAY, MONDAY + datetime.timedelta(days=6), 1),
        (Frequency.WEEK, MONDAY, MONDAY + datetime.timedelta(days=7), 2),
        (Frequency.FORTNIGHT, MONDAY, MONDAY + datetime.timedelta(days=27), 2),
        (Frequency.FOUR_WEEKS, MONDAY, MONDAY + datetime.timedelta(days=28), 2),
        (Frequency.MONTH, datetime.date(2026, 1, 31), datetime.date(2026, 2, 27), 1),
        (Frequency.MONTH, datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), 2),  # the last day of February
        (Frequency.MONTH, datetime.date(2026, 1, 31), datetime.date(2026, 3, 30), 2),  # then 31 March, not 28th
        (Frequency.MONTH, datetime.date(2026, 1, 31), datetime.date(2026, 3, 31), 3),
        (Frequency.QUARTER, datetime.date(2026, 1, 15), datetime.date(2026, 12, 31), 4),
        (Frequency.YEAR, datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), 2),
    ],
)
def test_payments_fall_due_on_the_start_day_and_each_period_after(
    every: str, start: datetime.date, today: datetime.date, count: int
) -> None:
    assert due_dates(every, start, today) == count


def test_keeping_to_it_is_every_charge_and_instalment_since_the_start_paid() -> None:
    # Three Mondays from the start: three weeks' rent (£98.40) and three £10 instalments.
    today = MONDAY + datetime.timedelta(days=14)
    kept = progress(
        start=MONDAY,
        today=today,
        charge_pence=9840,
        charge_every=Frequency.WEEK,
        instalment_pence=1000,
        instalment_every=Frequency.WEEK,
        paid_pence=3 * 10840,
    )
    assert kept.due_pence == 32520 and kept.keeping_to_it and kept.started
    short = progress(
        start=MONDAY,
        today=today,
        charge_pence=9840,
        charge_every=Frequency.WEEK,
        instalment_pence=1000,
        instalment_every=Frequency.WEEK,
        paid_pence=30000,
    )
    assert short.short_pence == 2520 and not short.keeping_to_it and short.since == MONDAY


def test_an_arrangement_not_yet_started_asks_for_nothing() -> None:
    waiting = progress(
        start=MONDAY,
        today=MONDAY - datetime.timedelta(days=3),
        charge_pence=9840,
        charge_every=Frequency.WEEK,
        instalment_pence=2500,
        instalment_every=Frequency.MONTH,
        paid_pence=0,
    )
    assert not waiting.started and waiting.keeping_to_it


def test_a_resident_offers_at_most_what_they_owe_and_at_least_a_pound_unless_they_owe_less() -> None:
    assert offer_limits(50000) == (100, 50000)
    assert offer_limits(40) == (40, 40)


@given(
    every=EVERY,
    instalment_every=st.sampled_from([every.value for every in ARRANGEMENT_FREQUENCIES]),
    start=DAYS,
    days=st.integers(min_value=-30, max_value=800),
    charge=PENCE,
    instalment=PENCE,
    paid=PENCE,
)
def test_the_shortfall_is_what_fell_due_less_what_was_paid_and_never_below_nothing(
    every: str, instalment_every: str, start: datetime.date, days: int, charge: int, instalment: int, paid: int
) -> None:
    today = start + datetime.timedelta(days=days)
    made = progress(
        start=start,
        today=today,
        charge_pence=charge,
        charge_every=every,
        instalment_pence=instalment,
        instalment_every=instalment_every,
        paid_pence=paid,
    )
    due = charge * due_dates(every, start, today) + instalment * due_dates(instalment_every, start, today)
    assert made.due_pence == due
    assert made.short_pence == max(0, due - paid)
    assert made.keeping_to_it == (paid >= due)
    # Paying exactly what fell due keeps to it; a penny less does not.
    exact = progress(
        start=start,
        today=today,
        charge_pence=charge,
        charge_every=every,
        instalment_pence=instalment,
        instalment_every=instalment_every,
        paid_pence=due,
    )
    assert exact.keeping_to_it
    if due > 0:
        assert Progress(since=start, due_pence=due, paid_pence=due - 1).short_pence == 1


@given(every=EVERY, start=DAYS, days=st.integers(min_value=0, max_value=1500))
def test_at_most_one_payment_falls_due_a_day_and_none_before_the_start(
    every: str, start: datetime.date, days: int
) -> None:
    today = start + datetime.timedelta(days=days)
    yesterday = today - datetime.timedelta(days=1)
    assert due_dates(every, start, today) - due_dates(every, start, yesterday) in (0, 1)
    assert due_dates(every, start, start - datetime.timedelta(days=1)) == 0


@given(start=DAYS)
def test_a_year_from_any_day_holds_twelve_monthly_payments_and_fifty_two_weekly(start: datetime.date) -> None:
    """Whatever the day of the month (31st, 29 February), each month has its one payment."""
    last = start + datetime.timedelta(days=363)  # the day before 52 weeks on
    assert due_dates(Frequency.MONTH, start, start + datetime.timedelta(days=364)) == 12
    assert due_dates(Frequency.WEEK, start, last) == 52
    assert due_dates(Frequency.FORTNIGHT, start, last) == 26
    assert due_dates(Frequency.FOUR_WEEKS, start, last) == 13
    assert due_dates(Frequency.QUARTER, start, start + datetime.timedelta(days=364)) == 4
