from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render

from porch.audit.services import record_many
from porch.core.routes import PORTAL, RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.documents import access, services
from porch.documents.services import documents_seen


@audience(RESIDENT)
@module("documents")
def document_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.documents_visible_to(actor), 25).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    record_many(
        actor=actor, action="list", object_type="document", seen=documents_seen(actor, documents), request=request
    )
    return render(request, "documents/list.html", {"page": page, "documents": documents})


@audience(PORTAL)
@module("documents")
def document_download(request: PorchRequest, code: UUID) -> FileResponse:
    actor = request.actor
    document = access.get_document_for(actor, code)
    return services.document_stream(document=document, actor=actor, request=request)
