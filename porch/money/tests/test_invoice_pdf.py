"""An invoice as a tagged PDF: the landlord, the owner, the period and the breakdown as a real
table, all as real text, audited to the account holder. One test: each costs a rendering."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent

from .invoice_helpers import a_service_charge_account, an_invoice
from .test_statement_pdf import structure_kinds

pytestmark = pytest.mark.django_db


def test_a_pdf_invoice_is_tagged_real_text_with_the_breakdown_and_audited(cast: Cast) -> None:
    invoice = an_invoice(a_service_charge_account(cast["dunn"].tenancy))
    response = sign_in(Client(), cast.resident("dan")).get(f"/rent/invoices/{invoice.uuid}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.hms_reference}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for words in (
        settings.LANDLORD_NAME,
        cast["dunn"].people["dan"].full_name,
        invoice.hms_reference,
        "1 April 2026 to 30 September 2026",
        "Total due by 1 April 2026: £550.00",
        "Common repairs",
        "Door entry panel replaced",
        "£2,400.00",
        "4.17% (1/24)",
        "Insurance",
        "4.5%",
        "£270.00",
        "Management fee",
    ):
        assert words in text, words

    catalogue = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue and bool(catalogue["/MarkInfo"]["/Marked"])
    assert catalogue["/Lang"] == "en-GB" and invoice.hms_reference in str(reader.metadata.title)
    kinds = structure_kinds(catalogue["/StructTreeRoot"])
    assert kinds.count("/Table") == 1 and kinds.count("/TH") == 6 and "/H1" in kinds  # 5 columns and the total

    seen = AccessEvent.objects.filter(object_type="service_charge_invoice")
    assert list(seen.values_list("subject_id", "reason")) == [(cast["dunn"].people["dan"].id, "invoice as PDF")]
