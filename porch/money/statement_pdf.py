"""A statement as a tagged PDF (ADR 0023): the same statement the CSV is written from, laid out
by the HTML template money/statement_pdf.html and drawn by WeasyPrint.

Drawing is porch.core.pdf's (WeasyPrint, imported only when a PDF is asked for): on a server
without Pango it raises PdfUnavailable, and the statement form says PDFs are not available and
offers the CSV."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.pdf import PdfUnavailable, html_as_pdf, landlord
from porch.housing.access import household_of
from porch.housing.models import Tenancy
from porch.money.statements import Statement

# Drawing takes about 10 ms a transaction, in the request: 500 (about four years of weekly rent
# and payments) is some five seconds. A longer period is the CSV's, which costs next to nothing.
MOST_LINES = 500


class TooLong(Exception):
    """More transactions than one PDF lists; the words say what to do instead."""


def as_pdf(actor: Actor, statement: Statement) -> bytes:
    """The statement as PDF/UA: tagged (headings, paragraphs and a table whose cells name their
    column headers), with its title and language, every word real text. It fetches nothing:
    the logo goes in as a data URL and any other address is refused, so a description from the
    housing system can never make the server reach out."""
    if len(statement.lines) > MOST_LINES:
        raise TooLong(
            f"A PDF can list up to {MOST_LINES} transactions and this period has {len(statement.lines):,}: "
            "choose a shorter period, or CSV"
        )
    return html_as_pdf(render_to_string("money/statement_pdf.html", _context(actor, statement)))


def _context(actor: Actor, statement: Statement) -> dict[str, Any]:
    return {"statement": statement, **letterhead(actor, statement.account.tenancy)}


def letterhead(actor: Actor, tenancy: Tenancy) -> dict[str, Any]:
    """What heads a statement or an invoice: the landlord, the account holders and the home."""
    holders = [member.person.full_name for member in household_of(actor, tenancy) if member.is_account_holder]
    return {
        "holders": holders,
        "home": tenancy.property.address_lines,
        "produced_on": timezone.localdate(),
        **landlord(),
    }


__all__ = ["MOST_LINES", "PdfUnavailable", "TooLong", "as_pdf", "html_as_pdf", "letterhead"]
