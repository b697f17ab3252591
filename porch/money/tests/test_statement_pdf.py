"""A statement as a tagged PDF: the landlord, the account holders, the period, every transaction
and the balance carried forward in words, all as real text, in a PDF/UA structure, audited to
each account holder; on a server that cannot draw PDFs, the form offers the CSV instead. Few
tests here draw a PDF: each costs a rendering."""

from __future__ import annotations

import io
import re
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.money import statement_pdf

from .helpers import an_account
from .test_statements import days_ago, url

pytestmark = pytest.mark.django_db


def structure_kinds(element: Any) -> list[str]:
    """The kinds of every element of a PDF's structure tree below this one (/Table, /TH...)."""
    element = element.get_object()
    found = [str(element["/S"])] if "/S" in element else []
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
            found += structure_kinds(kid)
    return found


def test_a_pdf_statement_is_tagged_real_text_and_audited_to_each_account_holder(cast: Cast) -> None:
    account = an_account(
        cast["ashton"].tenancy,
        ("Rent", 9840),
        ("Payment, thank you", -5000),
        ("Garage rent", 1200),
        balance=9840 - 5000 + 1200,
    )
    start, end = days_ago(3), days_ago(1)
    response = sign_in(Client(), cast.resident("alice")).get(url(account, start, end, "pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"') and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    period = f"{start:%-d %B %Y} to {end:%-d %B %Y}"
    people = cast["ashton"].people
    for words in (
        settings.LANDLORD_NAME,
        f"{people['alice'].full_name} and {people['bob'].full_name}",  # Amy is a household member, no holder
        account.hms_reference,
        period,
        "Rent",
        "Payment, thank you",
        "Garage rent",
        "Balance carried forward",
        f"On {end:%-d %B %Y} you owed £60.40: the account was in arrears",
    ):
        assert words in text
    assert people["amy"].first_name not in text

    catalogue = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue and bool(catalogue["/MarkInfo"]["/Marked"])
    assert catalogue["/Lang"] == "en-GB" and period in str(reader.metadata.title)
    kinds = structure_kinds(catalogue["/StructTreeRoot"])
    assert kinds.count("/Table") == 1 and kinds.count("/TH") == 5 and "/H1" in kinds

    # The home's address is in the document's title, readable in its bytes, where the canary
    # guard looks: a canary household's statement carries its marker there.
    assert cast["ashton"].marker.encode() in response.content

    seen = AccessEvent.objects.filter(object_type="rent_account", reason__startswith="statement")
    assert sorted(seen.values_list("subject_id", flat=True)) == sorted([people["alice"].id, people["bob"].id])


def test_without_pango_the_form_offers_the_csv_and_shows_nothing(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint cannot be loaded (as on a server without Pango): no error page, no audit."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    response = sign_in(Client(), cast.resident("alice")).get(url(account, days_ago(1), days_ago(1), "pdf"))
    page = response.content.decode()
    assert response.status_code == 200 and "PDF statements are not available right now" in page
    assert re.search(r'<input type="radio" name="format" value="csv"[^>]* checked>', page)  # CSV is now the choice
    assert "govuk-error-summary" not in page
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_a_pdf_of_more_transactions_than_it_lists_is_refused_on_the_form(cast: Cast) -> None:
    """Drawn in the request, a PDF of years of transactions would hold the server for a minute."""
    many = [("Rent", 100)] * (statement_pdf.MOST_LINES + 1)
    account = an_account(cast["ashton"].tenancy, *many)
    response = sign_in(Client(), cast.resident("alice")).get(url(account, days_ago(len(many)), days_ago(1), "pdf"))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert f"A PDF can list up to {statement_pdf.MOST_LINES} transactions and this period has 501" in page
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_another_households_pdf_statement_is_not_found(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    response = sign_in(Client(), cast.resident("carol")).get(url(account, days_ago(1), days_ago(1), "pdf"))
    assert response.status_code == 404
