from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.http import FileResponse, HttpRequest

from porch.audit.services import Seen, record
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.modules import ApprovalKind, ApprovalRefused
from porch.core.uploads import CheckedFile
from porch.documents.models import Document, DocumentType, document_subjects
from porch.housing.models import Person, Tenancy


def document_upload(
    *,
    actor: Actor,
    tenancy: Tenancy,
    document_type: DocumentType,
    title: str,
    dated: datetime.date,
    checked: CheckedFile,
    addressee: Person | None,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
    joined_by: datetime.date | None = None,
) -> Document:
    """Store a document once, however many times the form is submitted. `joined_by`: only
    members who had joined by that day see it (Document.joined_by)."""

    def create() -> Document:
        document = Document.objects.create(
            tenancy=tenancy,
            addressee=addressee,
            type=document_type,
            title=title,
            dated=dated,
            joined_by=joined_by,
            file=checked.content,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by_id=actor.user_id,
            idempotency_key=idempotency_key,
        )
        record(
            actor=actor,
            action="create",
            object_type=document.audit_type,
            object_id=document.uuid,
            subject_ids=document.subject_ids,
            tenancy_id=document.tenancy_id,
            request=request,
        )
        return document

    return create_once(Document.objects.filter(tenancy=tenancy), idempotency_key, create)


def document_stream(*, document: Document, actor: Actor, request: HttpRequest) -> FileResponse:
    record(
        actor=actor,
        action="download",
        object_type=document.audit_type,
        object_id=document.uuid,
        subject_ids=document.subject_ids,
        tenancy_id=document.tenancy_id,
        request=request,
    )
    extension = (document.file.name or "").rsplit(".", 1)[-1]
    filename = f"{document.title[:80]}.{extension}".replace('"', "")
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_type_visible_apply(target: str, approver: Actor) -> None:
    """An approved proposal to let residents see a type of document (target: the type's uuid).
    Through the same service that hides one, so both directions leave the same audit trail."""
    document_type = DocumentType.objects.get(uuid=uuid.UUID(target))
    try:
        document_type_set_visibility(actor=approver, document_type=document_type, resident_visible=True)
    except ValueError as never:
        raise ApprovalRefused(str(never)) from never


def document_type_set_visibility(
    *, actor: Actor, document_type: DocumentType, resident_visible: bool, request: HttpRequest | None = None
) -> None:
    if resident_visible and not document_type.may_be_resident_visible:
        raise ValueError("This type of document can never be shown to residents.")
    with transaction.atomic():
        document_type.resident_visible = resident_visible
        document_type.save(update_fields=["resident_visible"])
        record(
            actor=actor,
            action="update",
            object_type="document_type",
            object_id=document_type.uuid,
            reason=f"resident_visible set to {resident_visible}",
            request=request,
        )


# Letting residents see a type of document widens who sees data: a second person approves it.
DOCUMENT_TYPE_VISIBLE = ApprovalKind(
    "document_type_visible", "Let residents see a type of document", apply=document_type_visible_apply
)


def documents_seen(actor: Actor, documents: list[Document]) -> list[Seen]:
    """One audit entry per document shown, about the people it is about (document_subjects);
    an empty list is a look at the resident's own (empty) list."""
    subjects = document_subjects(documents)
    return [Seen(d.uuid, subjects[d.pk] or [None], d.tenancy_id) for d in documents] or [Seen("", [actor.person_id])]
