"""The activation letter, for residents with no email or mobile on record."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from porch.core.notify import portal_link
from porch.housing.models import Person, Tenancy


def activation_letter_pdf(
    *, person: Person, tenancy: Tenancy, code: str, dated: datetime.date, use_by: datetime.date
) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{settings.LANDLORD_NAME}: your sign-up code")
    y = 270 * mm
    lines = [
        settings.LANDLORD_NAME,
        "",
        _long_date(dated),
        "",
        person.full_name,
        *tenancy.property.address_lines,
        "",
        "Your sign-up code for our online service",
        "",
        f"Your code is: {code}",
        "",
        "To create your account:",
        f"1. Go to {portal_link(reverse('accounts:signup_start'))}",
        f"2. Enter your tenancy reference ({tenancy.reference}), date of birth and postcode.",
        "3. Enter this code when we ask for it.",
        "",
        f"The code works once. Use it by {_long_date(use_by)}.",
        "",
        f"If you did not ask for this letter, call us on {settings.LANDLORD_PHONE}.",
    ]
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 7 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _long_date(day: datetime.date) -> str:
    """GOV.UK style: 5 January 2027."""
    return dateformat.format(day, "j F Y")
