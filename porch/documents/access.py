"""The one way in to documents. Not visible: 404, the same as 'does not exist'."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.documents.models import Document, DocumentQuerySet, DocumentType
from porch.housing.models import Tenancy


def get_document_for(actor: Actor, code: UUID | str) -> Document:
    """A document the actor may see (Document.visible_to); seeing it is downloading it."""
    document = documents_visible_to(actor).filter(uuid=code).first()
    if document is None:
        raise Http404
    return document


def documents_visible_to(actor: Actor) -> DocumentQuerySet:
    return Document.objects.visible_to(actor).select_related("type", "tenancy", "addressee")


def documents_of_tenancy(actor: Actor, tenancy: Tenancy) -> DocumentQuerySet:
    return documents_visible_to(actor).filter(tenancy=tenancy)


def uploadable_types_for(actor: Actor) -> list[DocumentType]:
    types = DocumentType.objects.all()
    if not actor.has_role(StaffRole.ASB_OFFICER, StaffRole.DPO):
        types = types.exclude(category__in=DocumentType.ASB)
    return list(types)


def get_document_type_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> DocumentType:
    """Document types are configuration: any staff member may see them, only a
    system administrator may change their audience."""
    if not actor.is_staff:
        raise Http404
    document_type = DocumentType.objects.filter(uuid=code).first()
    if document_type is None:
        raise Http404
    if action == Action.CHANGE and not actor.has_role(StaffRole.SYSADMIN):
        raise PermissionDenied
    return document_type


def all_document_types() -> list[DocumentType]:
    """Configuration, not personal data: the list every staff member may read."""
    return list(DocumentType.objects.all())
