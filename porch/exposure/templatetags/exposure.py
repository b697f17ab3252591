"""Template helpers for the DPO's reports."""

from __future__ import annotations

from django import template

from porch.core.roles import StaffRole
from porch.exposure.reports import route_label

register = template.Library()


@register.filter(name="route_label")
def route_label_filter(name: str) -> str:
    """{{ event.route|route_label }}: the page in words, never the code's name for it."""
    return route_label(name) if name else "—"


# What each kind of audit record is, in the words a DPO would use (never the code's names).
RECORD_WORDS = {
    "access_policy": "the access rules",
    "activation_letter": "a sign-up letter",
    "admin": "the settings (admin)",
    "audit_trail": "a person's audit trail",
    "break_glass": "a record opened outside a patch",
    "canary_trip": "a canary alarm",
    "change_proposal": "a change waiting for approval",
    "cohort": "a pilot cohort",
    "dashboard": "a resident's home page",
    "details_change_request": "a request to change personal details",
    "document": "a document",
    "document_type": "a type of document",
    "exposure_report": "a report from the audit log",
    "incident": "a privacy problem",
    "internal_document": "an internal document",
    "asb_document": "an anti-social behaviour document",
    "invitations": "invitations",
    "module_switch": "a switch",
    "on_call_shift": "the on-call rota",
    "person": "a person's details",
    "privacy_report": "a privacy problem report",
    "role_grant": "a staff role",
    "session": "a sign-in",
    "signup_help_request": "a request for help to sign up",
    "tenancy": "a tenancy record",
    "test_household": "a test household",
    "user": "an account",
    "view_as_session": "viewing as a resident",
}


@register.filter
def record_words(object_type: str) -> str:
    """{{ event.object_type|record_words }}: what was looked at, in words."""
    return RECORD_WORDS.get(object_type, object_type.replace("_", " "))


@register.filter
def role_words(actor_role: str) -> str:
    """{{ event.actor_role|role_words }}: "housing_officer,view_as" as "Housing officer, may view as a resident"."""
    viewing = actor_role.startswith("view_as:")
    roles = actor_role.removeprefix("view_as:").split(",")
    labels = [StaffRole(role).label if role in StaffRole.values else role.replace("_", " ") for role in roles]
    words = ", ".join(label for label in labels if label)
    return f"Viewing as a resident: {words}" if viewing else words[:1].upper() + words[1:]
