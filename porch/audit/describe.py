"""Plain-English descriptions of audit events for residents."""

from __future__ import annotations

from porch.accounts.roles import PLAIN_ROLE
from porch.audit.models import AccessEvent

WHAT = {
    "dashboard": "your account summary",
    "person": "your details",
    "document": "a document",
    "tenancy": "your tenancy record",
    "details_change_request": "a request to change your details",
    "audit_trail": "the record of who has seen your information",
    "activation_letter": "your sign-up letter",
    "user": "your account",
}
DID = {
    "view": "looked at",
    "list": "looked at",
    "download": "downloaded",
    "search": "found",
    "create": "added",
    "update": "changed",
}


def who(event: AccessEvent) -> str:
    role = event.actor_role.removeprefix("view_as:")
    if role == "resident":
        return "Someone in your household"
    first = role.split(",")[0]
    return PLAIN_ROLE.get(first, "a member of our staff").capitalize()  # type: ignore[call-overload]


def describe(event: AccessEvent) -> str:
    did = DID.get(event.action, "used")
    what = WHAT.get(event.object_type, "your information")
    # Staff reasons and search terms are never shown: they can name other people.
    if event.on_behalf_of_id:
        return f"{who(event)} {did} {what}, seeing your account as you see it"
    if event.action == "view_as":
        return f"{who(event)} started or ended seeing your account as you see it"
    return f"{who(event)} {did} {what}"
