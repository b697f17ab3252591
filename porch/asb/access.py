"""The one way in to anti-social behaviour cases. Not visible: 404, the same as "does not
exist". Visible but not this action (the DPO or a housing officer the case was shared with,
trying to change it): 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from porch.asb.models import READERS, WORKERS, AsbCase, AsbCaseQuerySet, AsbEntry, AsbEvidence
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.housing.models import Tenancy


def cases_for_resident(actor: Actor) -> AsbCaseQuerySet:
    """The cases the resident reported themselves, the newest first."""
    if not actor.is_resident:
        return AsbCase.objects.none()
    return AsbCase.objects.visible_to(actor)


def cases_for_staff(actor: Actor) -> AsbCaseQuerySet:
    """Every case the staff member may see; never a test household's."""
    if not actor.is_staff:
        return AsbCase.objects.none()
    return (
        AsbCase.objects.visible_to(actor)
        .filter(is_test=False)
        .select_related("reporter", "tenancy__property__block__estate")
    )


def get_case_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> AsbCase:
    """A case the actor may see (404 otherwise). Changing it: the reporter (adding to their
    diary) and ASB officers (working it); never during view-as, never the DPO or a housing officer."""
    found = cases_for_resident(actor) if actor.is_resident else cases_for_staff(actor)
    case = found.filter(uuid=code).first()
    if case is None:
        raise Http404
    if action != Action.VIEW and not may_change(actor, case):
        raise PermissionDenied
    return case


def may_change(actor: Actor, case: AsbCase) -> bool:
    if actor.is_viewing_as:
        return False
    if actor.is_resident:
        return case.reporter_id == actor.person_id
    return actor.reads_personal_data and actor.has_role(*WORKERS)


def may_read_evidence(actor: Actor) -> bool:
    """Evidence files are for the ASB team and the DPO: a housing officer a case is shared with
    reads the case, not the reporter's photos."""
    return actor.is_staff and actor.reads_personal_data and bool(actor.roles & READERS)


def get_evidence_for(actor: Actor, code: UUID | str) -> AsbEvidence:
    """A photo of a case the actor may see, for the ASB team and the DPO alone (404 otherwise)."""
    if not may_read_evidence(actor):
        raise Http404
    evidence = AsbEvidence.objects.filter(uuid=code, case__in=cases_for_staff(actor)).select_related("case").first()
    if evidence is None:
        raise Http404
    return evidence


def published_entries(case: AsbCase) -> QuerySet[AsbEntry]:
    """What the reporter reads on their case: never an internal note or a witness statement."""
    return AsbEntry.objects.filter(case=case).published().order_by("at", "id")


def all_entries(case: AsbCase) -> QuerySet[AsbEntry]:
    return AsbEntry.objects.filter(case=case).select_related("by").order_by("at", "id")


def homes_to_report_from(actor: Actor) -> list[Tenancy]:
    """The homes a resident may report from: those they live in now (any member, not only an
    account holder: a household member can be the one harassed)."""
    if not actor.is_resident or actor.is_viewing_as:
        return []
    return list(
        Tenancy.objects.filter(pk__in=[home.tenancy_id for home in actor.homes])
        .select_related("property__block__estate")
        .order_by("pk")
    )
