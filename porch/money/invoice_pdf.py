"""A service-charge invoice as a tagged PDF, drawn as statements are (ADR 0023): the template
money/invoices/invoice_pdf.html, WeasyPrint imported only when a PDF is asked for, and the same
refusal (statement_pdf.PdfUnavailable) on a server that cannot draw one."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string

from porch.core.actor import Actor
from porch.money.invoices import invoice_total
from porch.money.models import InvoiceLine, ServiceChargeInvoice
from porch.money.statement_pdf import html_as_pdf, letterhead


def as_pdf(actor: Actor, invoice: ServiceChargeInvoice, lines: Sequence[InvoiceLine]) -> bytes:
    """The invoice as PDF/UA: headings, and the breakdown as a real table whose header cells say
    what each column is, every word real text."""
    context = {"invoice": invoice, "lines": lines, "total_pence": invoice_total(lines)}
    context |= letterhead(actor, invoice.account.tenancy)
    return html_as_pdf(render_to_string("money/invoices/invoice_pdf.html", context))
