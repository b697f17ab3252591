"""Views that belong to no one domain."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from porch.core.routes import PUBLIC, audience


@audience(PUBLIC)
@require_safe
def brand_css(request: HttpRequest) -> HttpResponse:
    """The landlord's brand colour as a CSS custom property.

    The colour is chosen at deploy time (BRAND_COLOUR, validated as #rrggbb in
    settings), so it cannot live in the compiled stylesheet, and the CSP
    (style-src 'self') rules out inline styles. porch.css reads it with
    var(--porch-brand, <fallback>).
    """
    response = HttpResponse(f":root{{--porch-brand:{settings.BRAND_COLOUR}}}\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@audience(PUBLIC)
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@audience(PUBLIC)
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """What the online service does with residents' information, in plain English."""
    return render(request, "core/privacy_notice.html")
