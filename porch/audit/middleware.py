from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from porch.audit.services import write_pending


class AuditMiddleware:
    """Gathers the reads a request records and writes them in one INSERT when the view is
    done, before the response leaves. If they cannot be written, the request fails (a 500
    page, never the page whose reads went unrecorded). A view that failed still has its
    reads written: what it fetched was fetched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.audit_reads = []  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            write_pending(request)
