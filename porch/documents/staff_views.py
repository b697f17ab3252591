"""The staff's pages for documents: adding one to a tenancy, and which types residents see.
Every look at a resident's data is audited."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from porch.accounts.sudo import sudo_required
from porch.audit.services import record
from porch.core.actions import Action
from porch.core.approvals import change_propose
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED, StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.documents import access
from porch.documents.forms import DocumentTypeVisibilityForm, DocumentUploadForm
from porch.documents.models import DocumentType
from porch.documents.services import DOCUMENT_TYPE_VISIBLE, document_type_set_visibility, document_upload
from porch.housing import access as housing_access

# Roles that work with residents' personal data may add documents to tenancies they can see.
CASEWORK = staff(*sorted(ORGANISATION_WIDE | PATCH_SCOPED), personal_data=True)
SYSADMIN = staff(StaffRole.SYSADMIN)


@audience(CASEWORK)
def staff_upload(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    tenancy = housing_access.get_tenancy_for(actor, code, action=Action.UPLOAD)
    members = housing_access.household_of(actor, tenancy)
    form = DocumentUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4()},
        types=access.uploadable_types_for(actor),
        members=members,
    )
    if request.method == "POST" and form.is_valid() and form.checked is not None:
        document_upload(
            actor=actor,
            tenancy=tenancy,
            document_type=form.cleaned_data["document_type"],
            title=form.cleaned_data["title"],
            dated=form.cleaned_data["dated"],
            checked=form.checked,
            addressee=form.cleaned_data["addressee"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            request=request,
        )
        messages.success(request, "The document has been added.")
        return redirect("staff:tenancy_detail", code=tenancy.uuid)
    # The form lists the household by name.
    record(
        actor=actor,
        action="view",
        object_type="tenancy",
        object_id=tenancy.uuid,
        subject_ids={m.person_id for m in members} or {None},
        tenancy_id=tenancy.id,
        request=request,
    )
    return render(request, "documents/staff/upload.html", {"form": form, "tenancy": tenancy})


@audience(SYSADMIN)
def staff_types(request: PorchRequest) -> HttpResponse:
    return render(request, "documents/staff/types.html", {"types": access.all_document_types()})


@audience(SYSADMIN)
@sudo_required
def staff_type_edit(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    document_type = access.get_document_type_for(actor, code, action=Action.CHANGE)
    initial = {"resident_visible": "yes" if document_type.resident_visible else "no"}
    form = DocumentTypeVisibilityForm(request.POST if request.method == "POST" else None, initial=initial)
    if not document_type.may_be_resident_visible:
        return render(request, "documents/staff/type_locked.html", {"document_type": document_type})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["resident_visible"] and not document_type.resident_visible:
            return _propose_visible(request, document_type)
        document_type_set_visibility(
            actor=actor,
            document_type=document_type,
            resident_visible=form.cleaned_data["resident_visible"],
            request=request,
        )
        messages.success(request, f"Saved: {document_type.name}.")
        return redirect("documents:staff_types")
    return render(request, "documents/staff/type_edit.html", {"form": form, "document_type": document_type})


def _propose_visible(request: PorchRequest, document_type: DocumentType) -> HttpResponse:
    """Letting residents see a type widens who sees data: a second person must approve."""
    change_propose(
        actor=request.actor,
        kind=DOCUMENT_TYPE_VISIBLE,
        target=document_type.uuid,
        before=f"{document_type.name}: staff only",
        after=f"{document_type.name}: residents on the tenancy can see them",
        reason="Asked on the document types page",
        request=request,
    )
    messages.success(
        request, f"{document_type.name}: asked to let residents see these. Another person must approve it."
    )
    return redirect("documents:staff_types")
