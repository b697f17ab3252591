"""The one way in to complaints. Not visible: 404, the same as "does not exist". Visible but
not this action (the DPO, who reads complaints, trying to respond to one; a resident's view-as
session trying to escalate): 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from porch.complaints.models import HANDLERS, Complaint, ComplaintEntry, ComplaintQuerySet
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.housing.models import Membership, Tenancy


def complaints_for_resident(actor: Actor) -> ComplaintQuerySet:
    """The complaints of the resident's own households, the newest first."""
    if not actor.is_resident:
        return Complaint.objects.none()
    return Complaint.objects.visible_to(actor).select_related("tenancy__property")


def complaints_for_staff(actor: Actor) -> ComplaintQuerySet:
    """Every complaint the staff member may see; never a test household's (like staff searches)."""
    if not actor.is_staff:
        return Complaint.objects.none()
    return (
        Complaint.objects.visible_to(actor)
        .filter(is_test=False)
        .select_related("tenancy__property__block__estate", "raised_by", "stage1_handler", "stage2_handler")
    )


def get_complaint_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Complaint:
    """A complaint the actor may see (404 otherwise). Changing it (Action.CHANGE) is for the
    residents of its household (escalating) and for complaints handlers and the housing officers
    of its patch (working it); never during view-as."""
    found = complaints_for_resident(actor) if actor.is_resident else complaints_for_staff(actor)
    complaint = found.filter(uuid=code).first()
    if complaint is None:
        raise Http404
    if action != Action.VIEW and not may_change(actor, complaint):
        raise PermissionDenied
    return complaint


def may_change(actor: Actor, complaint: Complaint) -> bool:
    if actor.is_viewing_as:
        return False
    if actor.is_resident:
        return complaint.tenancy_id in actor.tenancy_ids
    return actor.reads_personal_data and actor.has_role(*HANDLERS)


def published_entries(complaint: Complaint) -> QuerySet[ComplaintEntry]:
    """What the resident reads on the timeline: never an internal note."""
    return ComplaintEntry.objects.filter(complaint=complaint).published().order_by("at", "id")


def all_entries(complaint: Complaint) -> QuerySet[ComplaintEntry]:
    return ComplaintEntry.objects.filter(complaint=complaint).select_related("by").order_by("at", "id")


def tenancies_to_complain_about(actor: Actor) -> list[Tenancy]:
    """The homes a resident may make a complaint from: those they hold an account for now."""
    if not actor.is_resident:
        return []
    return list(Tenancy.objects.filter(pk__in=actor.tenancy_ids).select_related("property").order_by("pk"))


def household_ids(complaints: list[Complaint]) -> dict[int, list[int]]:
    """For each complaint, the people it is about (its household now): one audit row each.
    One query for them all."""
    members: dict[int, list[int]] = {}
    tenancy_ids = {complaint.tenancy_id for complaint in complaints}
    for tenancy_id, person_id in (
        Membership.objects.current().filter(tenancy_id__in=tenancy_ids).values_list("tenancy_id", "person_id")
    ):
        members.setdefault(tenancy_id, []).append(person_id)
    return {complaint.pk: sorted(members.get(complaint.tenancy_id, [])) for complaint in complaints}
