"""The deadlines a repair runs against, worked out from the landlord's rules.

Two rule sets, chosen per landlord by REPAIRS_NATION:

- England: the landlord's priorities (emergency: attend within 24 hours; urgent and routine
  in working days, REPAIRS_URGENT_WORKING_DAYS and REPAIRS_ROUTINE_WORKING_DAYS), and
  Awaab's Law for damp and mould: investigate within 10 working days, a written summary
  within 3 working days of the investigation, and an emergency hazard investigated and
  made safe within 24 hours.
- Scotland: the same priorities, and the Right to Repair for qualifying repairs: 1, 3 or 7
  working days by repair type, counted from the next working day, with compensation of
  £15 plus £3 for each working day late (capped, REPAIRS_RIGHT_TO_REPAIR_CAP_PENCE) when a
  repair is completed late.

Working days skip weekends and the nation's bank holidays (porch.core.working_days, from the
maintained `holidays` package). A clock counted in working days is due at the end of its
last day in the landlord's time zone; an emergency clock is due to the minute.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from porch.core.working_days import add_working_days, is_working_day
from porch.repairs.categories import Category, Priority

ENGLAND = "england"
SCOTLAND = "scotland"
NATIONS = (ENGLAND, SCOTLAND)
DAY = datetime.timedelta(days=1)
EMERGENCY_HOURS = datetime.timedelta(hours=24)
AWAAB_INVESTIGATE_DAYS = 10
AWAAB_SUMMARY_DAYS = 3
RIGHT_TO_REPAIR_BASE_PENCE = 1500
RIGHT_TO_REPAIR_DAILY_PENCE = 300


class Kind(StrEnum):
    ATTEND = "attend"
    COMPLETE = "complete"
    AWAAB_INVESTIGATE = "awaab_investigate"
    AWAAB_SUMMARY = "awaab_summary"
    AWAAB_EMERGENCY = "awaab_emergency"
    RIGHT_TO_REPAIR = "right_to_repair"


# What each clock promises, in the words the resident reads on their repair's page.
WORDS = {
    Kind.ATTEND: "We will come within 24 hours",
    Kind.COMPLETE: "We aim to finish the repair",
    Kind.AWAAB_INVESTIGATE: "We must look into the damp and mould (Awaab's Law)",
    Kind.AWAAB_SUMMARY: "We must send you a written summary of what we found (Awaab's Law)",
    Kind.AWAAB_EMERGENCY: "We must make the hazard safe (Awaab's Law)",
    Kind.RIGHT_TO_REPAIR: "Right to Repair: we must finish the repair",
}


@dataclass(frozen=True)
class Deadline:
    kind: Kind
    due_at: datetime.datetime
    # To the minute (24-hour clocks) rather than by the end of a day.
    precise: bool = False


def nation() -> str:
    chosen: str = settings.REPAIRS_NATION
    if chosen not in NATIONS:
        raise ValueError(f"REPAIRS_NATION must be one of {', '.join(NATIONS)}, not {chosen!r}.")
    return chosen


def region_of(chosen: str) -> str:
    """The bank holidays a nation's working days skip."""
    return "SCT" if chosen == SCOTLAND else "ENG"


def end_of(day: datetime.date) -> datetime.datetime:
    """The last moment of a day in the landlord's time zone."""
    start_of_next = datetime.datetime.combine(day + DAY, datetime.time(), tzinfo=timezone.get_current_timezone())
    return start_of_next - datetime.timedelta(microseconds=1)


def working_days_after(start: datetime.datetime, days: int, chosen: str) -> datetime.datetime:
    """The end of the `days`-th working day after the day of `start` (which never counts)."""
    local = timezone.localtime(start).date()
    return end_of(add_working_days(local, days, region=region_of(chosen)))


def deadlines_on_report(
    category: Category, priority: Priority, reported_at: datetime.datetime, chosen: str
) -> list[Deadline]:
    """Every clock that starts when a repair is reported."""
    deadlines = [priority_deadline(priority, reported_at, chosen)]
    if category.damp and chosen == ENGLAND:
        deadlines.append(
            Deadline(Kind.AWAAB_INVESTIGATE, working_days_after(reported_at, AWAAB_INVESTIGATE_DAYS, chosen))
        )
    if category.right_to_repair_days and chosen == SCOTLAND:
        deadlines.append(
            Deadline(Kind.RIGHT_TO_REPAIR, working_days_after(reported_at, category.right_to_repair_days, chosen))
        )
    return deadlines


def priority_deadline(priority: Priority, reported_at: datetime.datetime, chosen: str) -> Deadline:
    """The priority's clock, counted from when the repair was reported (a triage that
    changes the priority moves it; the statutory clocks never move)."""
    if priority == Priority.EMERGENCY:
        return Deadline(Kind.ATTEND, reported_at + EMERGENCY_HOURS, precise=True)
    days = (
        settings.REPAIRS_URGENT_WORKING_DAYS if priority == Priority.URGENT else settings.REPAIRS_ROUTINE_WORKING_DAYS
    )
    return Deadline(Kind.COMPLETE, working_days_after(reported_at, days, chosen))


def awaab_summary_deadline(investigated_at: datetime.datetime, chosen: str) -> Deadline | None:
    """A written summary within 3 working days of the investigation (England only)."""
    if chosen != ENGLAND:
        return None
    return Deadline(Kind.AWAAB_SUMMARY, working_days_after(investigated_at, AWAAB_SUMMARY_DAYS, chosen))


def awaab_emergency_deadline(reported_at: datetime.datetime, chosen: str) -> Deadline | None:
    """An emergency hazard from damp and mould: investigated and made safe within 24 hours
    of the report (England only)."""
    if chosen != ENGLAND:
        return None
    return Deadline(Kind.AWAAB_EMERGENCY, reported_at + EMERGENCY_HOURS, precise=True)


def working_days_late(due_at: datetime.datetime, done_at: datetime.datetime, chosen: str) -> int:
    """Working days after the day a clock was due, up to and including the day it was met."""
    if done_at <= due_at:
        return 0
    region = region_of(chosen)
    day = timezone.localtime(due_at).date()
    last = timezone.localtime(done_at).date()
    late = 0
    while day < last:
        day += DAY
        if is_working_day(day, region=region):
            late += 1
    return late


def right_to_repair_compensation_pence(due_at: datetime.datetime, completed_at: datetime.datetime) -> int:
    """£15 plus £3 for each working day late, up to the cap; nothing if on time."""
    late = working_days_late(due_at, completed_at, SCOTLAND)
    if completed_at <= due_at:
        return 0
    owed = RIGHT_TO_REPAIR_BASE_PENCE + RIGHT_TO_REPAIR_DAILY_PENCE * late
    return int(min(owed, settings.REPAIRS_RIGHT_TO_REPAIR_CAP_PENCE))
