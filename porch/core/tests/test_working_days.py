"""Working days, checked against real calendars (the published UK bank holidays)."""

from __future__ import annotations

import datetime
import runpy
from pathlib import Path

import pytest

from porch.core.env import EnvError
from porch.core.working_days import add_working_days, is_working_day

D = datetime.date
SETTINGS_FILE = Path(__file__).resolve().parents[3] / "config" / "settings.py"


def test_a_weekend_is_skipped() -> None:
    assert add_working_days(D(2026, 11, 6), 1) == D(2026, 11, 9)  # Friday to Monday
    assert add_working_days(D(2026, 11, 7), 1) == D(2026, 11, 9)  # from a Saturday, Monday is the first


def test_no_days_is_the_same_day() -> None:
    assert add_working_days(D(2026, 11, 30), 0) == D(2026, 11, 30)


def test_ten_working_days_across_christmas_in_england_and_wales() -> None:
    # Christmas Day (Fri 25), Boxing Day on Monday 28 (the 26th is a Saturday), New Year's Day (Fri 1).
    assert add_working_days(D(2026, 12, 22), 10, region="ENG") == D(2027, 1, 8)
    assert add_working_days(D(2026, 12, 22), 10, region="WLS") == D(2027, 1, 8)


def test_scotland_also_stops_for_the_second_of_january() -> None:
    # 2 January 2027 is a Saturday: Scotland takes Monday 4 January instead.
    assert add_working_days(D(2026, 12, 22), 10, region="SCT") == D(2027, 1, 11)


def test_easter_monday_is_a_holiday_except_in_scotland() -> None:
    # Good Friday 3 April 2026 everywhere; Easter Monday 6 April outside Scotland.
    assert add_working_days(D(2026, 4, 2), 1, region="ENG") == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 2), 1, region="SCT") == D(2026, 4, 6)


def test_st_patricks_day_is_a_holiday_only_in_northern_ireland() -> None:
    assert add_working_days(D(2026, 3, 16), 1, region="NIR") == D(2026, 3, 18)
    assert add_working_days(D(2026, 3, 16), 1, region="ENG") == D(2026, 3, 17)


def test_st_andrews_day_is_a_holiday_only_in_scotland() -> None:
    assert not is_working_day(D(2026, 11, 30), region="SCT")
    assert is_working_day(D(2026, 11, 30), region="ENG")


def test_the_setting_chooses_the_nation(settings) -> None:
    settings.BANK_HOLIDAYS_REGION = "SCT"
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 6)
    settings.BANK_HOLIDAYS_REGION = "ENG"
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)


def test_an_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="ENG, WLS, SCT, NIR"):
        add_working_days(D(2026, 4, 2), 1, region="GB")


def test_an_unknown_nation_in_the_environment_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.setenv("BANK_HOLIDAYS_REGION", "UK")
    with pytest.raises(EnvError, match="BANK_HOLIDAYS_REGION"):
        runpy.run_path(str(SETTINGS_FILE))
