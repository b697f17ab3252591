"""Plain-English descriptions of audit events for residents."""

from __future__ import annotations

from porch.audit.models import AccessEvent
from porch.audit.services import THROUGH_BREAK_GLASS
from porch.core.modules import audit_kind
from porch.core.roles import PLAIN_ROLE

DID = {
    "view": "looked at",
    "list": "looked at",
    "download": "downloaded",
    "search": "found",
    "create": "added",
    "update": "changed",
    "break_glass": "opened",
}


def who(event: AccessEvent) -> str:
    role = event.actor_role.removeprefix("view_as:")
    if role == "resident":
        return "Someone in your household"
    if _outside_their_patch(event):
        return "A housing officer from another area"
    first = role.split(",")[0]
    return PLAIN_ROLE.get(first, "a member of our staff").capitalize()


def describe(event: AccessEvent) -> str:
    did = DID.get(event.action, "used")
    what = _words_for(event.object_type)
    if event.object_type == "details_change_request" and event.action == "update":
        return f"{who(event)} answered your request to change your details"
    # Staff reasons and search terms are never shown: they can name other people.
    if event.on_behalf_of_id:
        return f"{who(event)} {did} {what}, seeing your account as you see it"
    if event.action == "view_as":
        began = "started" if event.reason.startswith("started") else "stopped"
        return f"{who(event)} {began} seeing your account as you see it"
    if _outside_their_patch(event):
        return f"{who(event)} {did} {what}, for a reason they recorded"
    return f"{who(event)} {did} {what}"


def _words_for(object_type: str) -> str:
    try:
        return audit_kind(object_type).words or "your information"
    except KeyError:  # no longer declared: an old row still reads as something true
        return "your information"


def _outside_their_patch(event: AccessEvent) -> bool:
    """Opened, or reached, through "open a record outside your patch" (break glass)."""
    return event.action == "break_glass" or event.reason == THROUGH_BREAK_GLASS
