"""Documents for synthetic test households: one of every type, each carrying the household's
marker, and for anyone who joined later a statement from before they joined."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from porch.documents.models import Document, DocumentType
from porch.documents.samples import sample_pdf
from porch.housing.models import Tenancy
from porch.housing.synthetic import BEFORE_JOINING


def synthetic_documents_create(tenancy: Tenancy, marker: str) -> None:
    for document_type in DocumentType.objects.all():
        _document_create(tenancy, document_type, f"{document_type.name} {marker}", dated=timezone.localdate())
    if tenancy.memberships.filter(start_date__gt=tenancy.start_date).exists():
        # Seeing this would be a real leak to the joiner: a type residents can see, dated before they joined.
        shown = DocumentType.objects.filter(resident_visible=True).order_by("name").first()
        earlier = shown or DocumentType.objects.get(name="Letter")
        _document_create(tenancy, earlier, f"Rent statement {marker}{BEFORE_JOINING}", dated=tenancy.start_date)


def _document_create(tenancy: Tenancy, document_type: DocumentType, title: str, *, dated: datetime.date) -> None:
    content = sample_pdf(f"{title} for a test household")
    Document.objects.create(
        tenancy=tenancy,
        type=document_type,
        title=title,
        dated=dated,
        file=ContentFile(content, name="test-document.pdf"),
        content_type="application/pdf",
        size=len(content),
    )


def document_codes(tenancy: Tenancy) -> list[str]:
    """The ids of one test household's documents, as they appear in URLs."""
    return [str(code) for code in tenancy.documents.values_list("uuid", flat=True)]
