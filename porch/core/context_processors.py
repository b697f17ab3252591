"""Template context shared by every page (see templates/base.html)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from porch.core.phones import normalise_phone


def portal(request: HttpRequest) -> dict[str, Any]:
    """The landlord's name, phone number and brand colour, and who is asking.

    ``actor`` is the request's Actor (lazily resolved by ActorMiddleware), or
    None when the middleware has not run (for example on some error pages).
    The view-as banner's session comes from porch.staff.context_processors.
    """
    actor = getattr(request, "actor", None)
    return {
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_phone": settings.LANDLORD_PHONE,
        "landlord_phone_link": phone_link(settings.LANDLORD_PHONE),
        "brand_colour": settings.BRAND_COLOUR,
        "actor": actor,
    }


def phone_link(number: str) -> str:
    """A number for a tel: link: in international form where it is a phone number, else its digits."""
    return normalise_phone(number) or "".join(ch for ch in number if ch.isdigit() or ch == "+")
