from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from porch.audit.services import record
from porch.core.routes import RESIDENT, SIGNED_IN, audience
from porch.documents import access, services


@audience(RESIDENT)
def document_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(access.documents_visible_to(actor), 25).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    subjects: set[int | None] = {actor.person_id}
    record(actor=actor, action="list", object_type="document", subject_ids=subjects, request=request)
    return render(request, "documents/list.html", {"page": page, "documents": documents})


@audience(SIGNED_IN)
def document_download(request: HttpRequest, code: UUID) -> FileResponse:
    actor = request.actor  # type: ignore[attr-defined]
    document = access.get_document_for(actor, code)
    return services.document_stream(document=document, actor=actor, request=request)
