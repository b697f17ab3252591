"""The one way in to the audit log's readers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.housing.models import Person


def views_of_own_record(actor: Actor) -> QuerySet[AccessEvent]:
    """What a resident sees on their privacy page: other people looking at their data."""
    if not actor.is_resident or not actor.person_id:
        return AccessEvent.objects.none()
    return (
        AccessEvent.objects.filter(subject_id=actor.person_id)
        .exclude(Q(actor_id=actor.user_id) & Q(on_behalf_of__isnull=True))
        .exclude(action="sign_in")
        .order_by("-at", "-id")
    )


def events_about(actor: Actor, person: Person) -> QuerySet[AccessEvent]:
    """Staff: the audit trail of a person they may see (the caller checks the person)."""
    if not actor.is_staff:
        return AccessEvent.objects.none()
    return AccessEvent.objects.filter(subject=person).select_related("actor", "on_behalf_of").order_by("-at", "-id")
