"""A statement for any period as CSV: brought forward, every transaction with the balance
after it, carried forward; a period in the future or backwards, or a format other than PDF or
CSV, refused with the reason. The PDF's own tests are in test_statement_pdf.py."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.money.models import RentAccount
from porch.money.statements import _cell

from .helpers import an_account

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def url(account: RentAccount, start: datetime.date, end: datetime.date, chosen: str = "csv") -> str:
    parts = {f"{name}_{part}": getattr(day, attr) for name, day in (("start", start), ("end", end))
             for part, attr in (("day", "day"), ("month", "month"), ("year", "year"))}  # fmt: skip
    query = "&".join(f"{key}={value}" for key, value in {**parts, "format": chosen}.items())
    return f"/rent/{account.uuid}/statement/?{query}"


def rows_of(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_statement_brings_forward_lists_and_carries_forward_to_the_penny(cast: Cast) -> None:
    # Six daily lines up to yesterday, with £30 owed before them: a period of the middle four.
    account = an_account(
        cast["ashton"].tenancy,
        ("Rent", 3000),
        ("Rent", 9840),
        ("Payment", -9840),
        ("Rent", 9840),
        ("=HYPERLINK(evil)", -5000),
        ("Rent", 100),
        balance=3000 + 3000 + 9840 - 9840 + 9840 - 5000 + 100,
    )
    client = sign_in(Client(), cast.resident("alice"))
    start, end = days_ago(5), days_ago(2)
    response = client.get(url(account, start, end))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[1] == [start.isoformat(), "Balance brought forward", "", "", "60.00"]
    assert [row[1:] for row in rows[2:-1]] == [
        ["Rent", "98.40", "", "158.40"],
        ["Payment", "", "98.40", "60.00"],
        ["Rent", "98.40", "", "158.40"],
        ["'=HYPERLINK(evil)", "", "50.00", "108.40"],  # a formula is never a formula in the spreadsheet
    ]
    assert rows[-1] == [end.isoformat(), "Balance carried forward", "", "", "108.40"]
    assert AccessEvent.objects.filter(object_type="rent_account", reason__startswith="statement").count() == 2


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [(0, -1, "The last day must be today or in the past"), (1, 9, "must be the same as or after")],
)
def test_a_period_in_the_future_or_backwards_is_refused_with_the_reason(
    cast: Cast, start: int, end: int, why: str
) -> None:
    """(start, end) in days ago: tomorrow is -1."""
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    response = sign_in(Client(), cast.resident("alice")).get(url(account, days_ago(start), days_ago(end)))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and why in page
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_the_form_asks_for_the_period_first(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    page = sign_in(Client(), cast.resident("alice")).get(f"/rent/{account.uuid}/statement/").content.decode()
    assert "Download a statement" in page and "govuk-error-summary" not in page
    # PDF first, and chosen unless the resident picks the spreadsheet.
    assert page.index("PDF (to read or print)") < page.index("CSV (for a spreadsheet)")
    assert '<input type="radio" name="format" value="pdf" class="govuk-radios__input" id="id_format_0" checked>' in page


@pytest.mark.parametrize("chosen", ["docx", ""])
def test_a_format_other_than_pdf_or_csv_is_refused_on_the_form(cast: Cast, chosen: str) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    response = sign_in(Client(), cast.resident("alice")).get(url(account, days_ago(1), days_ago(1), chosen))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and "Select PDF or CSV" in page
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_another_households_statement_is_not_found(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    response = sign_in(Client(), cast.resident("carol")).get(url(account, days_ago(0), days_ago(0)))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("description", "written"),
    [
        ("=1+1", "'=1+1"),
        (" =1+1", "' =1+1"),
        ("\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"),
        ("\n=1+1", "'\n=1+1"),
        ("\uff1dcmd|' /C calc'!A0", "'\uff1dcmd|' /C calc'!A0"),
        ("Rent - 2 weeks", "Rent - 2 weeks"),
    ],
)
def test_a_cell_that_would_start_a_formula_however_written_is_text(description: str, written: str) -> None:
    assert _cell(description) == written


def test_a_statement_from_before_1900_is_refused_plainly(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    client = sign_in(Client(), cast.resident("alice"))
    query = {"start_day": "1", "start_month": "1", "start_year": "0001", "end_day": "1", "end_month": "1"}
    page = client.get(f"/rent/{account.uuid}/statement/", {**query, "end_year": "2026", "format": "csv"})
    assert page.status_code == 200 and "The first day must be in 1900 or later" in page.content.decode()
