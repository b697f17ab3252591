"""The activation letter, for residents with no email or mobile on record."""

from __future__ import annotations

import io

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from porch.housing.models import Person, Tenancy


def activation_letter_pdf(*, person: Person, tenancy: Tenancy, code: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{settings.LANDLORD_NAME}: your sign-up code")
    y = 270 * mm
    lines = [person.full_name, *tenancy.property.address_lines, "", "Your sign-up code for our online service", ""]
    lines += [
        f"Your code is: {code}",
        "",
        "Go to our website, choose 'Create an account', enter your tenancy reference,",
        "date of birth and postcode, then enter this code. It can be used once,",
        "within 14 days of the date of this letter.",
        "",
        f"If you did not ask for this letter, call us on {settings.LANDLORD_PHONE}.",
    ]
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 7 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
