from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render

from porch.audit.services import Seen, record_many
from porch.core.routes import PORTAL, RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.documents import access, services
from porch.housing import access as housing_access


@audience(RESIDENT)
@module("documents")
def document_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.documents_visible_to(actor), 25).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    seen = [Seen(t.uuid, members, t.id) for t, members in housing_access.members_of_current_tenancies(actor)]
    record_many(
        actor=actor, action="list", object_type="document", seen=seen or [Seen("", [actor.person_id])], request=request
    )
    return render(request, "documents/list.html", {"page": page, "documents": documents})


@audience(PORTAL)
@module("documents")
def document_download(request: PorchRequest, code: UUID) -> FileResponse:
    actor = request.actor
    document = access.get_document_for(actor, code)
    return services.document_stream(document=document, actor=actor, request=request)
