"""Homeowners' service-charge invoices: the list on their account's page, each invoice with the
breakdown of the shared costs and their share, and the invoice as a PDF.

Only the account holders of the account now reach an invoice (porch.money.access): tenants in
the same block, other owners and a former owner of the home get 404. Every page that shows an
invoice is audited, one row per invoice and account holder."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.money import access, invoice_pdf
from porch.money.chosen_provider import payments_on
from porch.money.invoices import invoice_total, invoices_shown
from porch.money.models import InvoiceLine, RentAccount, ServiceChargeInvoice
from porch.money.statement_pdf import PdfUnavailable


def invoice_context(request: PorchRequest, account: RentAccount) -> dict[str, Any]:
    """For a service-charge account's page: its invoices, newest first (read, so audited). A
    rent account has none, and costs no query."""
    if account.kind != RentAccount.Kind.SERVICE_CHARGE:
        return {}
    invoices = list(access.invoices_of_account(request.actor, account))
    invoices_shown(actor=request.actor, invoices=invoices, request=request, what="in the list of invoices")
    return {"invoices": invoices}


@audience(RESIDENT)
@module("money")
def invoice_detail(request: PorchRequest, code: str) -> HttpResponse:
    invoice = access.get_invoice_for(request.actor, code)
    lines = access.invoice_lines(request.actor, invoice)
    invoices_shown(actor=request.actor, invoices=[invoice], request=request, what="invoice and its breakdown")
    return _invoice_page(request, invoice, lines)


@audience(RESIDENT)
@module("money")
def invoice_download(request: PorchRequest, code: str) -> HttpResponse:
    """The invoice as a PDF; on a server that cannot draw PDFs, the invoice's page saying so
    (everything the PDF holds is on it)."""
    invoice = access.get_invoice_for(request.actor, code)
    lines = access.invoice_lines(request.actor, invoice)
    try:
        response = HttpResponse(invoice_pdf.as_pdf(request.actor, invoice, lines), content_type="application/pdf")
    except PdfUnavailable:
        invoices_shown(actor=request.actor, invoices=[invoice], request=request, what="invoice and its breakdown")
        return _invoice_page(request, invoice, lines, no_pdf=True)
    invoices_shown(actor=request.actor, invoices=[invoice], request=request, what="invoice as PDF")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.hms_reference}.pdf"'
    return response


def _invoice_page(
    request: PorchRequest, invoice: ServiceChargeInvoice, lines: list[InvoiceLine], *, no_pdf: bool = False
) -> HttpResponse:
    context = {
        "invoice": invoice,
        "account": invoice.account,
        "lines": lines,
        "total_pence": invoice_total(lines),
        "may_pay": payments_on() and not request.actor.is_viewing_as,
        "no_pdf": no_pdf,
    }
    return render(request, "money/invoices/invoice.html", context)
