"""The one way in to the audit log's readers."""

from __future__ import annotations

from django.db.models import QuerySet

from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.roles import StaffRole


def events_about(actor: Actor, person_id: int) -> QuerySet[AccessEvent]:
    """The Data Protection Officer's view of everything recorded about a person."""
    if not actor.has_role(StaffRole.DPO):
        return AccessEvent.objects.none()
    return (
        AccessEvent.objects.filter(subject_id=person_id).select_related("actor", "on_behalf_of").order_by("-at", "-id")
    )
