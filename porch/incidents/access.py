"""The one way in to incidents: the Data Protection Officer only."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from porch.accounts.roles import StaffRole
from porch.core.actor import Actor
from porch.incidents.models import Incident


def incidents_for(actor: Actor) -> QuerySet[Incident]:
    if not actor.has_role(StaffRole.DPO):
        return Incident.objects.none()
    return Incident.objects.prefetch_related("reports")


def get_incident_for(actor: Actor, code: UUID | str, *, action: str = "view") -> Incident:
    incident = incidents_for(actor).filter(uuid=code).first()
    if incident is None:
        raise Http404
    return incident
