"""The one way in to break-glass records."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from porch.accounts.roles import StaffRole
from porch.core.actor import Actor
from porch.staff.models import BreakGlass


def open_break_glass_tenancy_ids(user_id: int) -> frozenset[int]:
    """Tenancies this staff member opened outside their patch, still open now."""
    now = timezone.now()
    ids = BreakGlass.objects.filter(staff_id=user_id, expires_at__gt=now).values_list("tenancy_id", flat=True)
    return frozenset(ids)


def break_glass_waiting_review(actor: Actor) -> QuerySet[BreakGlass]:
    """The DPO's review list: every break-glass opening not yet reviewed."""
    if not actor.has_role(StaffRole.DPO):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(reviewed_at__isnull=True)
        .select_related("staff", "tenancy__property")
        .order_by("created_at")
    )


def get_break_glass_for(actor: Actor, code: UUID | str, *, action: str = "review") -> BreakGlass:
    found = break_glass_waiting_review(actor).filter(uuid=code).first()
    if found is None:
        raise Http404
    return found


def open_break_glass_on(actor: Actor, tenancy_id: int) -> BreakGlass | None:
    """The actor's own open break-glass record for a tenancy, to show why it is open."""
    if tenancy_id not in actor.break_glass_tenancy_ids:
        return None
    return (
        BreakGlass.objects.filter(staff_id=actor.user_id, tenancy_id=tenancy_id, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
