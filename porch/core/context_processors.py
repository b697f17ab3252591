"""Template context shared by every page (see templates/base.html)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """The landlord's name, phone number and brand colour, and who is asking.

    ``actor`` is the request's Actor (lazily resolved by ActorMiddleware), or
    None when the middleware has not run (for example on some error pages).
    """
    return {
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_phone": settings.LANDLORD_PHONE,
        "brand_colour": settings.BRAND_COLOUR,
        "actor": getattr(request, "actor", None),
    }
