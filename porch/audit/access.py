"""The one way in to the audit log's readers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.housing.models import Membership, Person

# Events about a person alone (not reached through a tenancy).
PERSONAL_OBJECTS = ("person", "user", "audit_trail", "view_as_session")
# About the person alone even when reached through a home (a request to change their own
# details is filed under one, perhaps a home they have since left): always shown to them.
THEIRS_ALONE = ("details_change_request",)
# What a resident may be told about. Anything else (internal documents, ASB
# material, staff-only records) is never mentioned: even its existence is private.
RESIDENT_FACING = (*PERSONAL_OBJECTS, "dashboard", "tenancy", "document", "details_change_request", "activation_letter")


def views_of_own_record(actor: Actor) -> QuerySet[AccessEvent]:
    """What a resident sees on their privacy page: other people looking at their data,
    either about them alone, or through a tenancy they hold now, since they joined it.

    A former member of a household never sees what happens in it after they left."""
    if not actor.is_resident or not actor.person_id:
        return AccessEvent.objects.none()
    shown = Q(tenancy__isnull=True, object_type__in=PERSONAL_OBJECTS) | Q(object_type__in=THEIRS_ALONE)
    for membership in Membership.objects.current().account_holders().filter(person_id=actor.person_id):
        shown |= Q(tenancy_id=membership.tenancy_id, at__date__gte=membership.start_date)
    return (
        AccessEvent.objects.filter(subject_id=actor.person_id, object_type__in=RESIDENT_FACING)
        .filter(shown)
        .exclude(Q(actor_id=actor.user_id) & Q(on_behalf_of__isnull=True))
        .exclude(action="sign_in")
        .order_by("-at", "-id")
    )


def events_about(actor: Actor, person: Person) -> QuerySet[AccessEvent]:
    """The Data Protection Officer's view of everything recorded about a person."""
    if not actor.has_role(StaffRole.DPO):
        return AccessEvent.objects.none()
    return AccessEvent.objects.filter(subject=person).select_related("actor", "on_behalf_of").order_by("-at", "-id")
