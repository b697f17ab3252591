"""The one way in to repairs, for residents, contractors and staff. Not visible: 404, the
same as "does not exist". Visible but not this action (a housing officer triaging, a
resident changing a shared area's repair): 403."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from porch.core import rls
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.repairs.models import COORDINATORS, Assignment, Repair, RepairEvent, RepairPhoto, RepairQuerySet


def repairs_for_resident(actor: Actor) -> RepairQuerySet:
    """The resident's own homes' repairs and their block's and estate's shared-area repairs,
    open ones first, newest first."""
    if not actor.is_resident:
        return Repair.objects.none()
    return Repair.objects.visible_to(actor).select_related("tenancy__property", "block", "estate")


def repairs_for_contractor(actor: Actor) -> RepairQuerySet:
    if not actor.is_contractor:
        return Repair.objects.none()
    return Repair.objects.visible_to(actor).select_related("tenancy__property", "block", "estate")


def repairs_for_staff(actor: Actor) -> RepairQuerySet:
    """Every repair the staff member may see; never a test household's (like staff searches)."""
    if not actor.is_staff:
        return Repair.objects.none()
    return (
        Repair.objects.visible_to(actor)
        .filter(is_test=False)
        .select_related("tenancy__property__block__estate", "block__estate", "estate", "firm")
    )


def firm_jobs(actor: Actor) -> rls.Jobs:
    """The repairs a contractor's firm may see now, and the homes they are in (for the
    address): what the database wall lets the firm read (porch.core.rls.Jobs)."""
    rows = list(repairs_for_contractor(actor).values_list("id", "tenancy_id", "tenancy__property_id"))
    return rls.Jobs(
        repairs=frozenset(row[0] for row in rows),
        tenancies=frozenset(row[1] for row in rows if row[1]),
        properties=frozenset(row[2] for row in rows if row[2]),
    )


def get_repair_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Repair:
    """A repair the actor may see (404 otherwise), whoever they are. Changing it (Action.CHANGE)
    is for the resident who holds the home (never a shared area's repair, which belongs to
    everyone there), the firm it is assigned to, and the repairs team."""
    if actor.is_resident:
        found = repairs_for_resident(actor)
    elif actor.is_contractor:
        found = repairs_for_contractor(actor)
    else:
        found = repairs_for_staff(actor)
    repair = found.filter(uuid=code).first()
    if repair is None:
        raise Http404
    if action != Action.VIEW and not may_change(actor, repair):
        raise PermissionDenied
    return repair


def may_change(actor: Actor, repair: Repair) -> bool:
    if actor.is_viewing_as:
        return False
    if actor.is_resident:
        return repair.tenancy_id in actor.tenancy_ids
    if actor.is_contractor:
        return repair.firm_id == actor.firm_id and repair.is_open
    return actor.reads_personal_data and actor.has_role(*COORDINATORS)


def get_photo_for(actor: Actor, repair: Repair, code: UUID | str) -> RepairPhoto:
    """A photo of a repair the actor can already see. On a shared area's repair, residents see
    none of the reporter's photos (they may show inside someone's home). A contractor sees the
    reporter's photos and those of the notes of their firm's time on the job, never an earlier
    firm's (contractor_entries)."""
    if actor.is_resident and repair.is_communal:
        raise Http404
    photos = repair.photos.all()
    if actor.is_contractor:
        photos = photos.filter(Q(event__isnull=True) | Q(event__in=contractor_entries(repair)))
    photo = photos.filter(uuid=code).first()
    if photo is None:
        raise Http404
    return photo


def contractor_entries(repair: Repair) -> QuerySet[RepairEvent]:
    """The timeline entries the firm holding a repair reads: those marked for the contractor
    since the firm was given it. A firm given a job another firm held does not read the first
    firm's notes or photos."""
    entries = repair.events.filter(for_contractor=True)
    since = held_since(repair)
    return entries.filter(at__gte=since) if since else entries


def held_since(repair: Repair) -> datetime.datetime | None:
    """When the repair's current firm was given it (None when no assignment was recorded)."""
    held = Assignment.objects.filter(repair=repair, firm_id=repair.firm_id, ended_at__isnull=True).first()
    return held.started_at if held else None
