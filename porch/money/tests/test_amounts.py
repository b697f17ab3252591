"""Amounts typed by people: pennies exactly, or a plain reason why not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from porch.money.amounts import PoundsField, pence_from_text


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("12.50", 1250), ("£12.5", 1250), (" 12 ", 1200), ("£1,250.00", 125000), ("0.01", 1), ("7.", 700)],
)
def test_pounds_and_pence_are_read_as_whole_pennies(typed: str, pence: int) -> None:
    assert pence_from_text(typed) == pence


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12.505", "nearest penny"),
        ("-5", "more than £0"),
        ("1,25", "like 25.50"),
        ("12,50.00", "like 25.50"),
        ("1e3", "like 25.50"),
        ("NaN", "like 25.50"),
        ("12.50p", "like 25.50"),
        ("£", "like 25.50"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        pence_from_text(typed)


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_any_amount_in_pounds_and_pence_comes_back_to_the_penny(amount: Decimal) -> None:
    assert pence_from_text(f"{amount:.2f}") == int(amount * 100)


@pytest.mark.parametrize(
    ("typed", "error"),
    [("0", "£0.01 or more"), ("0.00", "£0.01 or more"), ("5,000.01", "£5,000.00 or less"), ("", "required")],
)
def test_the_field_refuses_zero_and_more_than_its_most(typed: str, error: str) -> None:
    field = PoundsField(most_pence=500000)
    with pytest.raises(ValidationError, match=error if error != "required" else "This field is required"):
        field.clean(typed)


def test_the_field_gives_pennies() -> None:
    assert PoundsField(most_pence=500000).clean("£5,000") == 500000
