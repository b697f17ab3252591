"""What the resident's repairs pages read, shaped in SQL: always starting from access.py, so
nothing here widens what a resident sees."""

from __future__ import annotations

from uuid import UUID

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.http import Http404

from porch.core.actor import Actor
from porch.repairs import access
from porch.repairs.models import Repair, RepairClock, RepairEvent, RepairPhoto, RepairQuerySet


def listed(actor: Actor) -> RepairQuerySet:
    """The resident's repairs, open ones first and newest first, each with its next due date
    (the earliest clock not yet met) in the same query."""
    next_due = RepairClock.objects.filter(repair=OuterRef("pk"), met_at__isnull=True).order_by("due_at")
    is_open = ExpressionWrapper(Q(closed_at__isnull=True), output_field=BooleanField())
    return (
        access.repairs_for_resident(actor)
        .annotate(next_due=Subquery(next_due.values("due_at")[:1]), is_open_now=is_open)
        .order_by("-is_open_now", "-reported_at", "-id")
    )


def open_count(actor: Actor) -> int:
    return access.repairs_for_resident(actor).open().count()


def timeline(repair: Repair) -> list[RepairEvent]:
    """What the resident is shown happened: the published events only."""
    return list(repair.events.filter(published=True).order_by("at", "id"))


def clocks(repair: Repair) -> list[RepairClock]:
    return list(repair.clocks.order_by("due_at", "id"))


def photos(actor: Actor, repair: Repair) -> list[RepairPhoto]:
    """A home's photos for its household; a shared area's none (they may show inside a home)."""
    if repair.is_communal:
        return []
    return list(repair.photos.all())


def photo_for(actor: Actor, code: UUID) -> tuple[Repair, RepairPhoto]:
    """A photo by its own id: its repair found first, then both through access.py (404 for
    a photo of a repair the resident cannot see, the same as for no such photo)."""
    repair_code = RepairPhoto.objects.filter(uuid=code).values_list("repair__uuid", flat=True).first()
    if repair_code is None:
        raise Http404
    repair = access.get_repair_for(actor, repair_code)
    return repair, access.get_photo_for(actor, repair, code)
