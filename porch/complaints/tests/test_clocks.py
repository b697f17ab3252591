"""The complaint clocks, as pure functions of dates: weekends, and both nations' bank holidays
from 2025 to 2027. No database."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from porch.complaints import clocks
from porch.core.working_days import is_working_day

D = datetime.date
E, S = clocks.ENGLAND, clocks.SCOTLAND


def test_england_stage_1_across_a_weekend() -> None:
    # Monday 2 June 2025: acknowledge by Monday 9 June; respond 10 working days after that.
    assert clocks.acknowledge_by(D(2025, 6, 2), E, 1, "ENG") == D(2025, 6, 9)
    assert clocks.respond_by(D(2025, 6, 2), None, E, 1, "ENG") == D(2025, 6, 23)


def test_england_response_counts_from_the_acknowledgement_once_given() -> None:
    assert clocks.respond_by(D(2025, 6, 2), D(2025, 6, 3), E, 1, "ENG") == D(2025, 6, 17)


def test_a_complaint_on_the_friday_before_christmas_2025_in_england() -> None:
    # Friday 19 December 2025. Christmas Day and Boxing Day (Thursday and Friday), then New
    # Year's Day (Thursday 1 January 2026) are not working days.
    received = D(2025, 12, 19)
    # 22, 23, 24, 29, 30 December
    assert clocks.acknowledge_by(received, E, 1, "ENG") == D(2025, 12, 30)
    # 31 Dec, 2, 5, 6, 7, 8, 9, 12, 13, 14 January
    assert clocks.respond_by(received, None, E, 1, "ENG") == D(2026, 1, 14)


def test_the_friday_before_christmas_2025_in_scotland_skips_2_january() -> None:
    # SPSO stage 1: 5 working days from receipt. 22, 23, 24, 29, 30 December.
    assert clocks.respond_by(D(2025, 12, 19), None, S, 1, "SCT") == D(2025, 12, 30)
    # Stage 2 received on 30 December: acknowledge in 3 (31 Dec, then 5 and 6 January: the 1st and
    # 2nd are both Scottish bank holidays).
    assert clocks.acknowledge_by(D(2025, 12, 30), S, 2, "SCT") == D(2026, 1, 6)
    # England works on 2 January 2026.
    assert clocks.acknowledge_by(D(2025, 12, 30), E, 2, "ENG") == D(2026, 1, 7)


def test_30_november_2026_in_scotland_on_st_andrews_day() -> None:
    # St Andrew's Day 2026 falls on a Monday, so the day itself is the Scottish holiday (no
    # substitute); in England it is a working day.
    assert not is_working_day(D(2026, 11, 30), region="SCT")
    assert is_working_day(D(2026, 11, 30), region="ENG")
    # A complaint made that day: the day itself never counts. SPSO stage 1: 1, 2, 3, 4, 7 December.
    assert clocks.respond_by(D(2026, 11, 30), None, S, 1, "SCT") == D(2026, 12, 7)
    # Made on Friday 27 November, Scotland skips the Monday (1, 2, 3, 4, 7 December) and England
    # counts it (30 November, 1, 2, 3, 4 December).
    assert clocks.respond_by(D(2026, 11, 27), None, S, 1, "SCT") == D(2026, 12, 7)
    assert clocks.acknowledge_by(D(2026, 11, 27), E, 1, "ENG") == D(2026, 12, 4)


def test_st_andrews_day_substitute_in_2025() -> None:
    # 30 November 2025 is a Sunday: Monday 1 December is the Scottish substitute holiday.
    assert not is_working_day(D(2025, 12, 1), region="SCT")
    assert clocks.acknowledge_by(D(2025, 11, 28), S, 2, "SCT") == D(2025, 12, 4)
    assert clocks.acknowledge_by(D(2025, 11, 28), E, 2, "ENG") == D(2025, 12, 5)  # 5 working days in England


def test_easter_2027() -> None:
    # Good Friday 26 March, Easter Monday 29 March 2027 (England); Scotland keeps Good Friday only.
    received = D(2027, 3, 25)  # Thursday
    assert clocks.acknowledge_by(received, E, 1, "ENG") == D(2027, 4, 5)  # 30, 31 Mar, 1, 2, 5 Apr
    assert clocks.acknowledge_by(received, S, 2, "SCT") == D(2027, 3, 31)  # 29, 30, 31 March


def test_scotland_stage_1_has_no_acknowledgement() -> None:
    assert clocks.acknowledge_by(D(2025, 6, 2), S, 1, "SCT") is None


def test_scotland_stage_2_counts_from_receipt_not_acknowledgement() -> None:
    late_ack = clocks.respond_by(D(2025, 6, 2), D(2025, 6, 20), S, 2, "SCT")
    assert late_ack == clocks.respond_by(D(2025, 6, 2), None, S, 2, "SCT") == D(2025, 6, 30)


def test_england_stage_2_is_20_working_days_from_acknowledging() -> None:
    assert clocks.respond_by(D(2025, 6, 2), D(2025, 6, 2), E, 2, "ENG") == D(2025, 6, 30)


def test_an_extension_is_counted_from_the_stage_deadline_and_limited() -> None:
    assert clocks.extended(D(2025, 6, 23), 10, E, 1, "ENG") == D(2025, 7, 7)
    with pytest.raises(ValueError, match="between 1 and 10"):
        clocks.extended(D(2025, 6, 23), 11, E, 1, "ENG")
    with pytest.raises(ValueError):
        clocks.extended(D(2025, 6, 23), 0, E, 1, "ENG")
    assert clocks.most_extension_days(E, 2) == 20
    assert clocks.most_extension_days(S, 1) == 5


def test_the_nation_follows_the_bank_holiday_region() -> None:
    assert clocks.nation_of("SCT") == S
    assert {clocks.nation_of(r) for r in ("ENG", "WLS", "NIR")} == {E}


DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
NATION_REGION = st.sampled_from([(E, "ENG"), (E, "WLS"), (S, "SCT")])


@given(received=DAYS, place=NATION_REGION, stage=st.sampled_from(clocks.STAGES), gap=st.integers(0, 15))
def test_every_deadline_is_a_working_day_after_the_start(
    received: datetime.date, place: tuple[str, str], stage: int, gap: int
) -> None:
    nation, region = place
    acknowledged = received + datetime.timedelta(days=gap)
    acknowledge = clocks.acknowledge_by(received, nation, stage, region)
    respond = clocks.respond_by(received, acknowledged, nation, stage, region)
    for deadline in filter(None, (acknowledge, respond)):
        assert deadline > received
        assert is_working_day(deadline, region=region)
    if acknowledge is not None:
        assert respond > acknowledge or clocks.rules(nation, stage).from_acknowledgement is False
    assert respond >= received + datetime.timedelta(days=clocks.rules(nation, stage).respond_days)


@given(due=DAYS, place=NATION_REGION, stage=st.sampled_from(clocks.STAGES), days=st.integers(1, 20))
def test_an_extension_is_a_later_working_day(due: datetime.date, place: tuple[str, str], stage: int, days: int) -> None:
    nation, region = place
    if days > clocks.most_extension_days(nation, stage):
        with pytest.raises(ValueError):
            clocks.extended(due, days, nation, stage, region)
        return
    moved = clocks.extended(due, days, nation, stage, region)
    assert moved > due
    assert is_working_day(moved, region=region)
