"""Weeks in arrears: what is owed, counted in weeks of the account's regular charge.

A charge every month is twelve a year, so a week's worth of it is the charge x 12 / 52.
Both the filter and the figure on the page work in whole pennies, multiplied out rather
than divided, so neither ever meets a float and the two agree to the penny: an account
shown as "4.0" weeks is one "at least 4 weeks" finds.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, Case, F, Q, Value, When
from django.db.models.lookups import GreaterThanOrEqual

from porch.money.models import Frequency, RentAccount

WEEKS_A_YEAR = 52
CHARGES_A_YEAR = {
    Frequency.WEEK: 52,
    Frequency.FORTNIGHT: 26,
    Frequency.FOUR_WEEKS: 13,
    Frequency.MONTH: 12,
    Frequency.QUARTER: 4,
    Frequency.YEAR: 1,
}


def at_least_weeks(weeks: int) -> Q:
    """Owing at least `weeks` weeks of the charge: balance x 52 >= weeks x charge x charges a
    year. An account with no regular charge is never weeks in arrears."""
    a_year = Case(
        *(When(charge_every=every, then=Value(times)) for every, times in CHARGES_A_YEAR.items()),
        output_field=BigIntegerField(),
    )
    owed = F("balance_pence") * WEEKS_A_YEAR
    return Q(charge_pence__gt=0) & Q(GreaterThanOrEqual(owed, F("charge_pence") * a_year * weeks))


def weeks_owed(account: RentAccount) -> str | None:
    """The weeks of the charge owed, to a tenth and rounded down (3.96 weeks is "3.9": not yet
    four); None when nothing is owed or there is no regular charge."""
    if account.balance_pence <= 0 or account.charge_pence <= 0:
        return None
    a_year = account.charge_pence * CHARGES_A_YEAR[Frequency(account.charge_every)]
    tenths = account.balance_pence * WEEKS_A_YEAR * 10 // a_year
    return f"{tenths // 10}.{tenths % 10}"
