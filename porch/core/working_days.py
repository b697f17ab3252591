"""Working days: weekdays that are not bank holidays in the landlord's nation.

Statutory and promised clocks (complaints, repairs, replies to residents) count
working days. England and Wales share their bank holidays; Scotland and Northern
Ireland have their own (2 January, St Andrew's Day, St Patrick's Day, the Battle
of the Boyne...), so the nation is a setting: BANK_HOLIDAYS_REGION.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.conf import settings

# The UK nations, as the `holidays` package names its subdivisions of GB.
REGIONS = ("ENG", "WLS", "SCT", "NIR")
SATURDAY = 5


def _region(region: str | None) -> str:
    chosen = region or settings.BANK_HOLIDAYS_REGION
    if chosen not in REGIONS:
        raise ValueError(f"Bank holiday region must be one of {', '.join(REGIONS)}, not {chosen!r}.")
    return chosen


@lru_cache(maxsize=64)
def bank_holidays(region: str, year: int) -> frozenset[datetime.date]:
    """The bank holidays of one nation in one year, substitute days included."""
    return frozenset(holidays.country_holidays("GB", subdiv=_region(region), years=year))


def is_working_day(day: datetime.date, *, region: str | None = None) -> bool:
    return day.weekday() < SATURDAY and day not in bank_holidays(_region(region), day.year)


def add_working_days(start: datetime.date, days: int, *, region: str | None = None) -> datetime.date:
    """The date `days` working days after `start`. The start day itself never counts, so a
    request made on a Saturday or a bank holiday has its first working day on the next one."""
    if days < 0:
        raise ValueError("Count working days forwards only.")
    chosen = _region(region)
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, region=chosen):
            counted += 1
    return day
