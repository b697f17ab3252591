"""The one way in to what the portal's own pages show: the resident's privacy log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.modules import AuditKind, Reached, audit_kinds


def views_of_own_record(actor: Actor) -> QuerySet[AccessEvent]:
    """What a resident sees on their privacy page: other people looking at their data,
    either about them alone, or through a tenancy they hold now, since they joined it.

    A former member of a household never sees what happens in it after they left."""
    if not actor.is_resident or not actor.person_id:
        return AccessEvent.objects.none()
    told = [kind for kind in audit_kinds() if kind.told and not _hidden_from(actor, kind)]
    alone = [kind.key for kind in told if kind.reached == Reached.ALONE]
    theirs_alone = [kind.key for kind in told if kind.reached == Reached.THEIRS_ALONE]
    shown = Q(tenancy__isnull=True, object_type__in=alone) | Q(object_type__in=theirs_alone)
    for home in actor.homes:
        if home.holds_account:
            shown |= Q(tenancy_id=home.tenancy_id, at__gte=_start_of(home.member_since))
    return (
        # Only what residents may be told about: anything else (internal documents, ASB material,
        # staff-only records) is never mentioned, as even its existence is private. Their own
        # looks are left out by the index (audit_subject_others), not filtered row by row.
        AccessEvent.objects.filter(subject_id=actor.person_id, by_subject=False)
        .filter(object_type__in=[kind.key for kind in told])
        .filter(shown)
        .exclude(action="sign_in")
        .order_by("-at", "-id")
    )


def _hidden_from(actor: Actor, kind: AuditKind) -> bool:
    """Staff viewing as the resident do not learn of records only some roles may read (a report
    of anti-social behaviour) unless their own role is one of those."""
    return bool(kind.readers) and actor.viewing_as_without(kind.readers)


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of a day here (a bound the index can use, not a date worked out per row)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
