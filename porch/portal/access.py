"""The one way in to what the portal's own pages show: the resident's privacy log."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.modules import Reached, audit_kinds
from porch.housing.models import Membership


def views_of_own_record(actor: Actor) -> QuerySet[AccessEvent]:
    """What a resident sees on their privacy page: other people looking at their data,
    either about them alone, or through a tenancy they hold now, since they joined it.

    A former member of a household never sees what happens in it after they left."""
    if not actor.is_resident or not actor.person_id:
        return AccessEvent.objects.none()
    told = [kind for kind in audit_kinds() if kind.told]
    alone = [kind.key for kind in told if kind.reached == Reached.ALONE]
    theirs_alone = [kind.key for kind in told if kind.reached == Reached.THEIRS_ALONE]
    shown = Q(tenancy__isnull=True, object_type__in=alone) | Q(object_type__in=theirs_alone)
    for membership in Membership.objects.current().account_holders().filter(person_id=actor.person_id):
        shown |= Q(tenancy_id=membership.tenancy_id, at__date__gte=membership.start_date)
    return (
        # Only what residents may be told about: anything else (internal documents, ASB material,
        # staff-only records) is never mentioned, as even its existence is private.
        AccessEvent.objects.filter(subject_id=actor.person_id, object_type__in=[kind.key for kind in told])
        .filter(shown)
        .exclude(Q(actor_id=actor.user_id) & Q(on_behalf_of__isnull=True))
        .exclude(action="sign_in")
        .order_by("-at", "-id")
    )
