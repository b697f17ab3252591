"""The deadlines a complaint runs against, from the rules of the landlord's nation (ADR 0028).

- England (and Wales, whose housing associations follow the same two-stage shape): the Housing
  Ombudsman's Complaint Handling Code. Stage 1: acknowledge within 5 working days, respond
  within 10 working days of acknowledging, extend by at most 10 working days with a reason.
  Stage 2: acknowledge within 5 working days, respond within 20 working days of acknowledging,
  extend by at most 20 working days with a reason.
- Scotland: the SPSO model complaints handling procedure. Stage 1 (frontline): respond within
  5 working days of receiving it (no separate acknowledgement), extend by at most 5 more with a
  reason. Stage 2 (investigation): acknowledge within 3 working days, respond within 20 working
  days of receiving it; an extension needs a reason and has no fixed limit.

Working days skip weekends and the bank holidays of the landlord's own nation
(porch.core.working_days, BANK_HOLIDAYS_REGION). The day something arrives never counts. A
deadline is a day: the response is due by the end of it. Everything here is a pure function of
dates, so the clocks are tested without a database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from porch.core.working_days import add_working_days

ENGLAND = "england"
SCOTLAND = "scotland"
NATIONS = (ENGLAND, SCOTLAND)
STAGES = (1, 2)


@dataclass(frozen=True)
class StageRules:
    # None: this stage has no separate acknowledgement (SPSO stage 1).
    acknowledge_days: int | None
    respond_days: int
    # Counted from the acknowledgement (the English code) or from receipt (SPSO).
    from_acknowledgement: bool
    # The most an extension may add to the response's deadline; None: no fixed limit.
    most_extension_days: int | None


RULES: dict[tuple[str, int], StageRules] = {
    (ENGLAND, 1): StageRules(acknowledge_days=5, respond_days=10, from_acknowledgement=True, most_extension_days=10),
    (ENGLAND, 2): StageRules(acknowledge_days=5, respond_days=20, from_acknowledgement=True, most_extension_days=20),
    (SCOTLAND, 1): StageRules(acknowledge_days=None, respond_days=5, from_acknowledgement=False, most_extension_days=5),
    (SCOTLAND, 2): StageRules(
        acknowledge_days=3, respond_days=20, from_acknowledgement=False, most_extension_days=None
    ),
}


def nation_of(region: str) -> str:
    """The complaint rules a bank-holiday region follows: Scotland's SPSO procedure, otherwise
    the English code (England and Wales; Northern Ireland until it has rules of its own)."""
    return SCOTLAND if region == "SCT" else ENGLAND


def region() -> str:
    chosen: str = settings.BANK_HOLIDAYS_REGION
    return chosen


def rules(nation: str, stage: int) -> StageRules:
    if (nation, stage) not in RULES:
        raise ValueError(f"No complaint rules for {nation!r} stage {stage!r}.")
    return RULES[(nation, stage)]


def acknowledge_by(received_on: datetime.date, nation: str, stage: int, region: str) -> datetime.date | None:
    """The last day to acknowledge the complaint at this stage, or None when the stage has no
    acknowledgement of its own."""
    stage_rules = rules(nation, stage)
    if stage_rules.acknowledge_days is None:
        return None
    return add_working_days(received_on, stage_rules.acknowledge_days, region=region)


def respond_by(
    received_on: datetime.date, acknowledged_on: datetime.date | None, nation: str, stage: int, region: str
) -> datetime.date:
    """The last day to respond. Under the English code the count starts when the complaint is
    acknowledged; until then it runs from the last day to acknowledge it, the latest the
    acknowledgement may come, and moves to the real day once it comes."""
    stage_rules = rules(nation, stage)
    start = received_on
    if stage_rules.from_acknowledgement:
        start = acknowledged_on or acknowledge_by(received_on, nation, stage, region) or received_on
    return add_working_days(start, stage_rules.respond_days, region=region)


# An extension with no fixed limit (SPSO stage 2) is still kept within reason.
NO_LIMIT_MOST_DAYS = 60


def most_extension_days(nation: str, stage: int) -> int:
    """The most working days an extension may add at this stage."""
    most = rules(nation, stage).most_extension_days
    return NO_LIMIT_MOST_DAYS if most is None else most


def extended(respond_by: datetime.date, days: int, nation: str, stage: int, region: str) -> datetime.date:
    """The new last day to respond: `days` working days after the stage's own deadline (always
    a working day). Counted from that deadline every time, so a second extension replaces the
    first and all of them together never pass the limit. Refuses no days, or more than the
    rules allow."""
    if not 1 <= days <= most_extension_days(nation, stage):
        raise ValueError(f"An extension must be between 1 and {most_extension_days(nation, stage)} working days.")
    return add_working_days(respond_by, days, region=region)


def on_time(responded_on: datetime.date, deadline: datetime.date) -> bool:
    return responded_on <= deadline
