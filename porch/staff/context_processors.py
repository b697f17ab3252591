"""Template context for staff viewing the portal as a resident (see templates/base.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from porch.staff.access import current_view_as


def view_as(request: HttpRequest) -> dict[str, Any]:
    """The running view-as session, for the banner on every page (None otherwise)."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_viewing_as:
        return {"view_as": None}
    return {"view_as": current_view_as(request)}
