"""Deliberately broken views, for the canary guard's tests only.

Each one makes a mistake the access layer exists to prevent (no scoping, no
access check), so the guard is the last thing between the bug and the reader.
Tests switch to this URLconf with settings.ROOT_URLCONF; it is never part of
config/urls.py. The real portal's routes are kept, so signing in and the
kill switch pages work as usual."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils.html import format_html_join

from config.urls import urlpatterns as portal_urlpatterns
from porch.core.routes import PORTAL, PUBLIC, RESIDENT, audience, module, staff
from porch.documents import services as document_services
from porch.documents.models import Document
from porch.housing.models import Person


@audience(RESIDENT)
@module("documents")
def every_document(request):
    """The bug: every household's documents on a resident's page."""
    titles = format_html_join("", "<li>{}</li>", ((document.title,) for document in Document.objects.all()))
    return HttpResponse(f"<h1>Your documents</h1><ul>{titles}</ul>")


@audience(PUBLIC)
@module("portal")
def every_name(request):
    """The bug: a signed-out page that lists people."""
    names = format_html_join("", "<li>{}</li>", ((person.full_name,) for person in Person.objects.all()))
    return HttpResponse(f"<ul>{names}</ul>")


@audience(staff(personal_data=True))
def staff_every_name(request):
    """A staff page (no module) showing every person, test households included."""
    return every_name(request)


@audience(PORTAL)
@module("documents")
def any_download(request, code):
    """The bug: the download skips the access check."""
    document = Document.objects.get(uuid=code)
    return document_services.document_stream(document=document, actor=request.actor, request=request)


@audience(PORTAL)
@module("documents")
def download_copy_named(request, code):
    """The bug: a copy of the file's bytes (no stored file behind it), under its real title."""
    document = Document.objects.get(uuid=code)
    return FileResponse(io.BytesIO(document.file.read()), as_attachment=True, filename=f"{document.title}.pdf")


@audience(PORTAL)
@module("documents")
def export(request, code):
    """The bug: an export that copies a document's bytes, in small chunks, under a neutral name."""
    content = Document.objects.get(uuid=code).file.read()
    size = int(request.GET.get("chunk", "7"))
    chunks = (content[start : start + size] for start in range(0, len(content), size))
    response = StreamingHttpResponse(chunks, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="export.pdf"'
    return response


@audience(PORTAL)
@module("documents")
def export_async(request, code):
    """The same export, streamed from an async iterator (as under ASGI)."""
    content = Document.objects.get(uuid=code).file.read()

    async def chunks():
        for start in range(0, len(content), 7):
            yield content[start : start + 7]

    return StreamingHttpResponse(chunks(), content_type="application/pdf")


@audience(RESIDENT)
@module("documents")
def echo(request, term):
    """Echoes its path and leaks every document's title: a trip with a marker in its path."""
    titles = format_html_join("", "<li>{}</li>", ((document.title,) for document in Document.objects.all()))
    return HttpResponse(format_html_join("", "<p>{}</p>", [(term,)]) + titles)


urlpatterns = [
    path("broken/documents/", every_document),
    path("broken/people/", every_name),
    path("broken/staff/people/", staff_every_name),
    path("broken/documents/<uuid:code>/download/", any_download),
    path("broken/documents/<uuid:code>/copy/", download_copy_named),
    path("broken/documents/<uuid:code>/export/", export),
    path("broken/documents/<uuid:code>/export-async/", export_async),
    path("broken/echo/<str:term>/", echo),
    *portal_urlpatterns,
]
