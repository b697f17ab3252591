"""The rules of an arrangement to pay off arrears: how much a resident may offer, from when,
and whether they are keeping to what was agreed.

Pure functions of dates and pennies, so the arithmetic is tested on its own (with Hypothesis)
and the pages only fetch the numbers."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from porch.money.models import Frequency

# The least a resident may offer each time: less would not clear most arrears in years.
LEAST_PENCE = 100
# How far ahead an arrangement may start: long enough to wait for a payday, short enough that
# the arrears do not grow meanwhile without a plan.
LATEST_START = datetime.timedelta(weeks=8)

_DAYS: dict[str, int] = {Frequency.WEEK: 7, Frequency.FORTNIGHT: 14, Frequency.FOUR_WEEKS: 28}
_MONTHS: dict[str, int] = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}


def offer_limits(arrears_pence: int) -> tuple[int, int]:
    """(least, most) a resident may offer each time: at most what they owe, and at least £1
    (or all of it, when they owe less)."""
    return min(LEAST_PENCE, arrears_pence), arrears_pence


def start_limits(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days an arrangement may start on."""
    return today, today + LATEST_START


def due_dates(every: str, start: datetime.date, today: datetime.date) -> int:
    """How many times something paid `every` period from `start` falls due up to and including
    `today`: once on the start day, then each period after. A month from 31 January is the last
    day of February, and from there 31 March: each is counted from the start, never from the
    one before. Nothing is due before the start."""
    if today < start:
        return 0
    if every in _DAYS:
        return (today - start).days // _DAYS[every] + 1
    step = _MONTHS[every]
    months = (today.year - start.year) * 12 + today.month - start.month
    count = months // step + 1
    if _add_months(start, (count - 1) * step) > today:
        count -= 1
    return count


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Progress:
    """How a resident stands against an agreed arrangement, from its start to today."""

    since: datetime.date
    due_pence: int  # the regular charges and the instalments fallen due since the start
    paid_pence: int  # payments and benefit credits into the account since the start

    @property
    def started(self) -> bool:
        return self.due_pence > 0

    @property
    def short_pence(self) -> int:
        """How much less than agreed has been paid (never below nothing: paying more is fine)."""
        return max(0, self.due_pence - self.paid_pence)

    @property
    def keeping_to_it(self) -> bool:
        return self.short_pence == 0


def progress(
    *,
    start: datetime.date,
    today: datetime.date,
    charge_pence: int,
    charge_every: str,
    instalment_pence: int,
    instalment_every: str,
    paid_pence: int,
) -> Progress:
    """What was due since the start (each regular charge and each instalment, from the start
    day on) against what was paid in. The housing system's own charge days may differ from the
    start day by a few days: counting from the start asks for each payment on the day the
    arrangement began, which is the plainest promise to check."""
    due = charge_pence * due_dates(charge_every, start, today)
    due += instalment_pence * due_dates(instalment_every, start, today)
    return Progress(since=start, due_pence=due, paid_pence=paid_pence)
