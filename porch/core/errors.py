"""Error pages, rendered with the portal's own templates."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from porch.core.context_processors import phone_link


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: usually an old tab or a page left open too long."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the page must render even when they are what failed.
    context = {
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_phone": settings.LANDLORD_PHONE,
        "landlord_phone_link": phone_link(settings.LANDLORD_PHONE),
    }
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
