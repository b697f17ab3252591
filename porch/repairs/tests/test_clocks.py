"""The clocks a repair runs against, checked against the real bank holidays of England and
Wales and of Scotland for 2025 to 2027 (from the `holidays` package), across weekends and
holidays: the landlord's priorities, Awaab's Law (England) and the Right to Repair with its
compensation (Scotland)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from porch.core.working_days import add_working_days, is_working_day
from porch.repairs import clocks
from porch.repairs.categories import Priority, category
from porch.repairs.clocks import ENGLAND, SCOTLAND, Kind

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def end_of_day(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=LONDON)


# --- Bank holidays: the two nations differ ---------------------------------------------------

SCOTLAND_ONLY = [
    datetime.date(2025, 1, 2),  # 2 January
    datetime.date(2025, 8, 4),  # the summer bank holiday is the first Monday of August
    datetime.date(2025, 12, 1),  # St Andrew's Day fell on a Sunday: Monday instead
    datetime.date(2026, 1, 2),
    datetime.date(2026, 8, 3),
    datetime.date(2026, 11, 30),  # St Andrew's Day on a Monday
    datetime.date(2027, 1, 4),  # 2 January 2027 is a Saturday: Monday instead
    datetime.date(2027, 8, 2),
    datetime.date(2027, 11, 30),
]
ENGLAND_ONLY = [
    datetime.date(2025, 4, 21),  # Easter Monday
    datetime.date(2025, 8, 25),  # the summer bank holiday is the last Monday of August
    datetime.date(2026, 4, 6),
    datetime.date(2026, 8, 31),
    datetime.date(2027, 3, 29),
    datetime.date(2027, 8, 30),
]
BOTH = [
    datetime.date(2025, 1, 1),
    datetime.date(2025, 4, 18),  # Good Friday
    datetime.date(2025, 5, 5),
    datetime.date(2025, 5, 26),
    datetime.date(2025, 12, 25),
    datetime.date(2025, 12, 26),
    datetime.date(2026, 4, 3),
    datetime.date(2026, 12, 28),  # Boxing Day 2026 is a Saturday: Monday instead
    datetime.date(2027, 1, 1),
    datetime.date(2027, 3, 26),
    datetime.date(2027, 5, 3),
    datetime.date(2027, 5, 31),
    datetime.date(2027, 12, 27),  # Christmas Day and Boxing Day 2027 fall at a weekend
    datetime.date(2027, 12, 28),
]


@pytest.mark.parametrize("day", SCOTLAND_ONLY)
def test_scottish_bank_holidays_are_working_days_in_england(day: datetime.date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day, region=clocks.region_of(SCOTLAND))
    assert is_working_day(day, region=clocks.region_of(ENGLAND))


@pytest.mark.parametrize("day", ENGLAND_ONLY)
def test_english_bank_holidays_are_working_days_in_scotland(day: datetime.date) -> None:
    assert not is_working_day(day, region=clocks.region_of(ENGLAND))
    assert is_working_day(day, region=clocks.region_of(SCOTLAND))


@pytest.mark.parametrize("day", BOTH)
def test_shared_bank_holidays_are_never_working_days(day: datetime.date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day, region="ENG")
    assert not is_working_day(day, region="SCT")


def test_weekends_are_never_working_days() -> None:
    saturday, sunday = datetime.date(2026, 3, 7), datetime.date(2026, 3, 8)
    for region in ("ENG", "SCT"):
        assert not is_working_day(saturday, region=region)
        assert not is_working_day(sunday, region=region)
        assert add_working_days(saturday, 1, region=region) == datetime.date(2026, 3, 9)


def test_the_nation_chooses_the_bank_holidays() -> None:
    assert clocks.region_of(ENGLAND) == "ENG"
    assert clocks.region_of(SCOTLAND) == "SCT"
    with override_settings(REPAIRS_NATION="wales"), pytest.raises(ValueError, match="REPAIRS_NATION"):
        clocks.nation()
    with override_settings(REPAIRS_NATION=SCOTLAND):
        assert clocks.nation() == SCOTLAND


# --- Working days after a moment ---------------------------------------------------------------


def test_a_clock_is_due_at_the_end_of_its_last_working_day_in_the_landlords_time_zone() -> None:
    # Winter (GMT) and summer (BST) alike: the end of the local day, not of the UTC day.
    assert clocks.working_days_after(at(2026, 1, 12), 1, ENGLAND) == end_of_day(2026, 1, 13)
    summer = clocks.working_days_after(at(2026, 7, 13), 1, ENGLAND)
    assert summer == end_of_day(2026, 7, 14)
    assert summer.utcoffset() == datetime.timedelta(hours=1)


def test_the_day_of_the_report_never_counts_even_late_at_night() -> None:
    # 23:30 on a Monday in summer is already Monday in London (22:30 UTC): Tuesday is day one.
    late = datetime.datetime(2026, 7, 13, 22, 30, tzinfo=datetime.UTC)
    assert clocks.working_days_after(late, 1, ENGLAND) == end_of_day(2026, 7, 14)
    # 00:30 on a Tuesday in London is still Monday in UTC: Wednesday is day one.
    early = datetime.datetime(2026, 7, 13, 23, 30, tzinfo=datetime.UTC)
    assert clocks.working_days_after(early, 1, ENGLAND) == end_of_day(2026, 7, 15)


def test_easter_differs_between_the_nations() -> None:
    # Reported on the Thursday before Easter 2025: Good Friday, the weekend, and in England
    # Easter Monday, are skipped.
    thursday = at(2025, 4, 17)
    assert clocks.working_days_after(thursday, 1, ENGLAND) == end_of_day(2025, 4, 22)
    assert clocks.working_days_after(thursday, 1, SCOTLAND) == end_of_day(2025, 4, 21)


def test_august_bank_holidays_differ_between_the_nations() -> None:
    friday = at(2025, 8, 1)
    assert clocks.working_days_after(friday, 1, SCOTLAND) == end_of_day(2025, 8, 5)
    assert clocks.working_days_after(friday, 1, ENGLAND) == end_of_day(2025, 8, 4)
    late_friday = at(2025, 8, 22)
    assert clocks.working_days_after(late_friday, 1, ENGLAND) == end_of_day(2025, 8, 26)
    assert clocks.working_days_after(late_friday, 1, SCOTLAND) == end_of_day(2025, 8, 25)


def test_new_year_2027_skips_scotlands_substitute_for_2_january() -> None:
    new_years_eve = at(2026, 12, 31)
    assert clocks.working_days_after(new_years_eve, 1, ENGLAND) == end_of_day(2027, 1, 4)
    assert clocks.working_days_after(new_years_eve, 1, SCOTLAND) == end_of_day(2027, 1, 5)


# --- The landlord's priorities -------------------------------------------------------------------


def test_an_emergency_is_due_24_hours_after_the_report_to_the_minute() -> None:
    # Over a weekend and a bank holiday alike: hours, not working days.
    reported = at(2025, 12, 24, 17, 45)
    deadline = clocks.priority_deadline(Priority.EMERGENCY, reported, ENGLAND)
    assert deadline == clocks.Deadline(Kind.ATTEND, at(2025, 12, 25, 17, 45), precise=True)


@override_settings(REPAIRS_URGENT_WORKING_DAYS=5, REPAIRS_ROUTINE_WORKING_DAYS=20)
def test_urgent_and_routine_repairs_count_working_days_from_the_settings() -> None:
    # Friday 19 December 2025 in England: Christmas, Boxing Day and New Year's Day are skipped.
    reported = at(2025, 12, 19)
    urgent = clocks.priority_deadline(Priority.URGENT, reported, ENGLAND)
    assert urgent == clocks.Deadline(Kind.COMPLETE, end_of_day(2025, 12, 30))
    routine = clocks.priority_deadline(Priority.ROUTINE, reported, ENGLAND)
    assert routine.due_at == end_of_day(2026, 1, 21)
    # Scotland also skips 2 January.
    assert clocks.priority_deadline(Priority.ROUTINE, reported, SCOTLAND).due_at == end_of_day(2026, 1, 22)


@override_settings(REPAIRS_URGENT_WORKING_DAYS=2)
def test_the_urgent_days_setting_is_read_each_time() -> None:
    assert clocks.priority_deadline(Priority.URGENT, at(2026, 3, 9), ENGLAND).due_at == end_of_day(2026, 3, 11)


# --- Awaab's Law (England) ---------------------------------------------------------------------


def test_damp_and_mould_in_england_must_be_investigated_within_10_working_days() -> None:
    # From Friday 19 December 2025: 22, 23, 24, 29, 30, 31 December, 2, 5, 6, 7 January.
    deadlines = clocks.deadlines_on_report(category("damp_mould_patches"), Priority.URGENT, at(2025, 12, 19), ENGLAND)
    by_kind = {deadline.kind: deadline for deadline in deadlines}
    assert set(by_kind) == {Kind.COMPLETE, Kind.AWAAB_INVESTIGATE}
    assert by_kind[Kind.AWAAB_INVESTIGATE].due_at == end_of_day(2026, 1, 7)
    assert not by_kind[Kind.AWAAB_INVESTIGATE].precise


def test_awaabs_law_is_for_england_only_and_for_damp_only() -> None:
    scottish = clocks.deadlines_on_report(category("damp_mould_patches"), Priority.URGENT, at(2025, 12, 19), SCOTLAND)
    assert [deadline.kind for deadline in scottish] == [Kind.COMPLETE]
    tap = clocks.deadlines_on_report(category("kitchen_tap"), Priority.ROUTINE, at(2025, 12, 19), ENGLAND)
    assert [deadline.kind for deadline in tap] == [Kind.COMPLETE]


def test_the_written_summary_is_due_3_working_days_after_the_investigation() -> None:
    # Investigated on Thursday 21 August 2025: Friday, (bank holiday Monday), Tuesday, Wednesday.
    summary = clocks.awaab_summary_deadline(at(2025, 8, 21, 15), ENGLAND)
    assert summary == clocks.Deadline(Kind.AWAAB_SUMMARY, end_of_day(2025, 8, 27))
    assert clocks.awaab_summary_deadline(at(2025, 8, 21, 15), SCOTLAND) is None


def test_an_emergency_hazard_is_due_24_hours_after_the_report() -> None:
    reported = at(2026, 5, 22, 16, 10)  # the Friday before the spring bank holiday
    hazard = clocks.awaab_emergency_deadline(reported, ENGLAND)
    assert hazard == clocks.Deadline(Kind.AWAAB_EMERGENCY, at(2026, 5, 23, 16, 10), precise=True)
    assert clocks.awaab_emergency_deadline(reported, SCOTLAND) is None


# --- Scotland's Right to Repair ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "days", "due"),
    [
        # Reported on Friday 28 November 2025: Monday 1 December is St Andrew's Day's substitute.
        ("bathroom_toilet_not_flushing", 1, end_of_day(2025, 12, 2)),
        ("heating_partial", 3, end_of_day(2025, 12, 4)),
        ("bathroom_extractor", 7, end_of_day(2025, 12, 10)),
    ],
)
def test_right_to_repair_limits_of_1_3_and_7_working_days(code: str, days: int, due: datetime.datetime) -> None:
    kind = category(code)
    assert kind.right_to_repair_days == days
    deadlines = clocks.deadlines_on_report(kind, kind.priority, at(2025, 11, 28, 14), SCOTLAND)
    by_kind = {deadline.kind: deadline for deadline in deadlines}
    assert by_kind[Kind.RIGHT_TO_REPAIR] == clocks.Deadline(Kind.RIGHT_TO_REPAIR, due)
    assert Kind.AWAAB_INVESTIGATE not in by_kind


def test_the_right_to_repair_is_for_scotland_only_and_qualifying_repairs_only() -> None:
    english = clocks.deadlines_on_report(category("heating_partial"), Priority.URGENT, at(2025, 11, 28), ENGLAND)
    assert Kind.RIGHT_TO_REPAIR not in {deadline.kind for deadline in english}
    glass = clocks.deadlines_on_report(category("doors_glass_cracked"), Priority.URGENT, at(2025, 11, 28), SCOTLAND)
    assert [deadline.kind for deadline in glass] == [Kind.COMPLETE]


def test_a_scottish_damp_repair_that_qualifies_runs_the_right_to_repair_clock() -> None:
    deadlines = clocks.deadlines_on_report(category("damp_patches"), Priority.URGENT, at(2025, 11, 28), SCOTLAND)
    assert {deadline.kind for deadline in deadlines} == {Kind.COMPLETE, Kind.RIGHT_TO_REPAIR}


# --- Compensation --------------------------------------------------------------------------------

DUE = end_of_day(2025, 11, 27)  # Thursday 27 November 2025


def test_no_compensation_when_the_repair_is_finished_on_time() -> None:
    assert clocks.right_to_repair_compensation_pence(DUE, at(2025, 11, 27, 16)) == 0
    assert clocks.right_to_repair_compensation_pence(DUE, DUE) == 0


def test_fifteen_pounds_and_three_for_each_working_day_late() -> None:
    assert clocks.right_to_repair_compensation_pence(DUE, at(2025, 11, 28, 9)) == 1500 + 300
    # Friday, (weekend), (St Andrew's Day substitute), Tuesday: two working days late.
    assert clocks.working_days_late(DUE, at(2025, 12, 2, 9), SCOTLAND) == 2
    assert clocks.right_to_repair_compensation_pence(DUE, at(2025, 12, 2, 9)) == 1500 + 2 * 300


def test_finishing_late_on_a_weekend_still_owes_the_fifteen_pounds() -> None:
    friday_due = end_of_day(2025, 11, 28)
    assert clocks.working_days_late(friday_due, at(2025, 11, 29), SCOTLAND) == 0
    assert clocks.right_to_repair_compensation_pence(friday_due, at(2025, 11, 29)) == 1500


def test_compensation_is_capped_by_the_setting() -> None:
    two_months_late = at(2026, 1, 30)
    assert clocks.right_to_repair_compensation_pence(DUE, two_months_late) == 10000  # the default cap, £100
    with override_settings(REPAIRS_RIGHT_TO_REPAIR_CAP_PENCE=2000):
        assert clocks.right_to_repair_compensation_pence(DUE, at(2025, 12, 4)) == 2000
        assert clocks.right_to_repair_compensation_pence(DUE, at(2025, 11, 28)) == 1800


def test_working_days_late_counts_scottish_holidays_not_english_ones() -> None:
    due = end_of_day(2025, 12, 31)
    assert clocks.working_days_late(due, at(2026, 1, 5), SCOTLAND) == 1  # 1 and 2 January skipped
    assert clocks.working_days_late(due, at(2026, 1, 5), ENGLAND) == 2  # 2 January counts
