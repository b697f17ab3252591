"""A statement as a tagged PDF (ADR 0023): the same statement the CSV is written from, laid out
by the HTML template money/statement_pdf.html and drawn by WeasyPrint.

WeasyPrint draws text with Pango, a library from the operating system, not from PyPI. It is
imported here, only when a PDF is asked for, so a server without Pango still serves every
page: the statement form says PDFs are not available and offers the CSV."""

from __future__ import annotations

import base64
from types import ModuleType
from typing import Any, cast

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from porch.core.actor import Actor
from porch.housing.access import household_of
from porch.housing.models import Tenancy
from porch.money.statements import Statement

# The kinds of file LANDLORD_LOGO may be (config/settings.py refuses any other at start-up).
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


# Drawing takes about 10 ms a transaction, in the request: 500 (about four years of weekly rent
# and payments) is some five seconds. A longer period is the CSV's, which costs next to nothing.
MOST_LINES = 500


class PdfUnavailable(Exception):
    """WeasyPrint, or a library it needs from the operating system, cannot be loaded here."""


class TooLong(Exception):
    """More transactions than one PDF lists; the words say what to do instead."""


def load_weasyprint() -> ModuleType:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or fontconfig missing from the system
        raise PdfUnavailable from error
    return cast(ModuleType, weasyprint)  # untyped: mypy knows it only as Any


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


def html_as_pdf(html: str) -> bytes:
    """A page of HTML drawn as PDF/UA, fetching nothing but data URLs (statements, invoices)."""
    drawer = load_weasyprint()
    fetcher = drawer.URLFetcher(allowed_protocols={"data"})
    document = drawer.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1", finisher=_metadata_unfiltered))


def _metadata_unfiltered(document: Any, pdf: Any) -> None:
    """Leave the document's XMP metadata uncompressed, as PDF/A-1 asks so that any tool can read
    it without taking the PDF apart. The canary guard reads responses so: the title names the
    home, so a canary household's statement carries its marker where the guard's search of the
    bytes finds it (the text of the pages is compressed, and in font glyphs, never plain)."""
    for found in pdf.objects:
        if getattr(found, "extra", {}).get("Type") == "/Metadata":
            found.compress = False


def _context(actor: Actor, statement: Statement) -> dict[str, Any]:
    return {"statement": statement, **letterhead(actor, statement.account.tenancy)}


def letterhead(actor: Actor, tenancy: Tenancy) -> dict[str, Any]:
    """What heads a statement or an invoice: the landlord, the account holders and the home."""
    holders = [member.person.full_name for member in household_of(actor, tenancy) if member.is_account_holder]
    return {
        "holders": holders,
        "home": tenancy.property.address_lines,
        "produced_on": timezone.localdate(),
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_address": settings.LANDLORD_ADDRESS,
        "landlord_phone": settings.LANDLORD_PHONE,
        "logo": _data_url(),
    }


def _data_url() -> str:
    logo = settings.LANDLORD_LOGO
    return f"data:{LOGO_TYPES[logo.suffix.lower()]};base64,{base64.b64encode(logo.read_bytes()).decode('ascii')}"
