"""Small real PDFs for synthetic households (test residents, the isolation self-test)."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas


def sample_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setPageCompression(0)  # keep the marker findable in the file's bytes
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
