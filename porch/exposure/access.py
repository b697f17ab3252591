"""The one way in to what the exposure reports are about: a person named by the DPO,
an incident the DPO decides on, and the report runs the DPO asked for."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from porch.core.actor import Actor
from porch.exposure.models import ExposureRun
from porch.exposure.reports import require_dpo
from porch.exposure.runs import kept
from porch.housing.models import Person, normalise_reference
from porch.incidents import access as incident_access
from porch.incidents.models import Incident


def person_by_reference(actor: Actor, reference: str) -> Person:
    """A person by housing reference or person ID (UUID), among those the actor may see."""
    require_dpo(actor)
    people = Person.objects.visible_to(actor)
    text = reference.strip()
    try:
        found = people.filter(uuid=UUID(text)).first()
    except ValueError:
        found = people.filter(housing_reference=normalise_reference(text)).first()
    if found is None:
        raise Http404
    return found


def incident_to_report(actor: Actor, code: UUID | str) -> Incident:
    """An incident the actor sees, for the DPO only: reporting to the ICO is a decision."""
    incident = incident_access.get_incident_for(actor, code)
    if not incident_access.may_decide(actor):
        raise PermissionDenied
    return incident


def runs_for(actor: Actor) -> QuerySet[ExposureRun]:
    """The report runs still kept (porch.exposure.runs.kept), for the Data Protection
    Officer only (any holder of the role, with current training: a deputy reads the same
    reports); their reports are personal data. Anyone else: 403."""
    require_dpo(actor)
    return ExposureRun.objects.filter(kept())


def get_run_for(actor: Actor, code: UUID | str) -> ExposureRun:
    """One run by its uuid, among those kept: gone, never made, or past keeping is 404."""
    found = runs_for(actor).filter(uuid=code).select_related("requested_by").first()
    if found is None:
        raise Http404
    return found
