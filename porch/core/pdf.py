"""Letters and statements as tagged PDF (ADR 0023), for any module: HTML drawn by WeasyPrint.

WeasyPrint draws text with Pango, a library from the operating system, not from PyPI. It is
imported here only when a PDF is asked for, so a server without Pango still serves every page
and each module says what it offers instead (PdfUnavailable). The letterhead and the shared
stylesheet are the templates core/pdf/_letterhead.html and core/pdf/_style.html."""

from __future__ import annotations

import base64
from types import ModuleType
from typing import Any, cast

from django.conf import settings

# The kinds of file LANDLORD_LOGO may be (config/settings.py refuses any other at start-up).
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


class PdfUnavailable(Exception):
    """WeasyPrint, or a library it needs from the operating system, cannot be loaded here."""


def load_weasyprint() -> ModuleType:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or fontconfig missing from the system
        raise PdfUnavailable from error
    return cast(ModuleType, weasyprint)  # untyped: mypy knows it only as Any


def html_as_pdf(html: str) -> bytes:
    """A page of HTML drawn as PDF/UA, fetching nothing but data URLs: text from the housing
    system or a resident can never make the server reach out."""
    drawer = load_weasyprint()
    fetcher = drawer.URLFetcher(allowed_protocols={"data"})
    document = drawer.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1", finisher=_metadata_unfiltered))


def _metadata_unfiltered(document: Any, pdf: Any) -> None:
    """Leave the document's XMP metadata uncompressed, as PDF/A-1 asks so that any tool can read
    it without taking the PDF apart. The canary guard reads responses so: the title names the
    home, so a canary household's letter carries its marker where the guard's search of the
    bytes finds it (the text of the pages is compressed, and in font glyphs, never plain)."""
    for found in pdf.objects:
        if getattr(found, "extra", {}).get("Type") == "/Metadata":
            found.compress = False


def landlord() -> dict[str, Any]:
    """The landlord's part of a letterhead: name, address, phone and logo (as a data URL)."""
    return {
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_address": settings.LANDLORD_ADDRESS,
        "landlord_phone": settings.LANDLORD_PHONE,
        "logo": logo_data_url(),
    }


def logo_data_url() -> str:
    logo = settings.LANDLORD_LOGO
    return f"data:{LOGO_TYPES[logo.suffix.lower()]};base64,{base64.b64encode(logo.read_bytes()).decode('ascii')}"
