"""Template helpers for the DPO's reports."""

from __future__ import annotations

from django import template

from porch.core.modules import audit_kind
from porch.core.roles import StaffRole
from porch.exposure.reports import route_label

register = template.Library()


@register.filter(name="route_label")
def route_label_filter(name: str) -> str:
    """{{ event.route|route_label }}: the page in words, never the code's name for it."""
    return route_label(name) if name else "—"


@register.filter
def record_words(object_type: str) -> str:
    """{{ event.object_type|record_words }}: what was looked at, in words."""
    try:
        return audit_kind(object_type).label
    except KeyError:  # a kind no module declares any more: an old row still reads as something
        return object_type.replace("_", " ")


@register.filter
def role_words(actor_role: str) -> str:
    """{{ event.actor_role|role_words }}: "housing_officer,view_as" as "Housing officer, may view as a resident"."""
    viewing = actor_role.startswith("view_as:")
    roles = actor_role.removeprefix("view_as:").split(",")
    labels = [StaffRole(role).label if role in StaffRole.values else role.replace("_", " ") for role in roles]
    words = ", ".join(label for label in labels if label)
    return f"Viewing as a resident: {words}" if viewing else words[:1].upper() + words[1:]
