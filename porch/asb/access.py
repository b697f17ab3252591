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
from porch.housing import access as housing_access
from porch.housing.models import Membership, Person, Tenancy

# The people offered when an ASB officer looks for the record of the person a report names:
# the current members of the first tenancies the search finds.
LINK_TENANCIES = 20


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


def is_asb_team(actor: Actor) -> bool:
    """The ASB team and the DPO: staff who read every case whole."""
    return actor.is_staff and actor.reads_personal_data and bool(actor.roles & READERS)


def may_read_evidence(actor: Actor) -> bool:
    """Evidence files are for the ASB team and the DPO: a housing officer a case is shared with
    reads the case, not the reporter's photos and recordings."""
    return is_asb_team(actor)


def may_read_named(actor: Actor) -> bool:
    """The record an ASB officer linked the report to: the ASB team and the DPO. Not a housing
    officer the case is shared with: the link is the ASB team's judgement of who the report is
    about, which a housing officer needs no more than the reporter's own words already give
    them, and which would follow the named person into their tenancy work."""
    return is_asb_team(actor)


def get_evidence_for(actor: Actor, code: UUID | str) -> AsbEvidence:
    """A file of a case the actor may see, for the ASB team and the DPO alone (404 otherwise)."""
    if not may_read_evidence(actor):
        raise Http404
    evidence = AsbEvidence.objects.filter(uuid=code, case__in=cases_for_staff(actor)).select_related("case").first()
    if evidence is None:
        raise Http404
    return evidence


def own_evidence(actor: Actor, case: AsbCase) -> list[AsbEvidence]:
    """The files the reporter sent themselves, on a case of theirs: never one a member of staff
    added. Nobody else has any here (a resident's only cases are their own)."""
    if not actor.is_resident or actor.is_viewing_as or case.reporter_id != actor.person_id:
        return []
    return list(AsbEvidence.objects.filter(case=case, uploaded_by_id=actor.user_id))


def get_own_evidence_for(actor: Actor, code: UUID | str) -> AsbEvidence:
    """A file the reporter sent on their own case (404 otherwise, a staff member's file too)."""
    if actor.user_id is None:
        raise Http404
    evidence = (
        AsbEvidence.objects.filter(uuid=code, case__in=cases_for_resident(actor), uploaded_by_id=actor.user_id)
        .select_related("case")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def published_entries(case: AsbCase) -> QuerySet[AsbEntry]:
    """What the reporter reads on their case: never an internal note or a witness statement."""
    return AsbEntry.objects.filter(case=case).published().order_by("at", "id")


def entries_for_staff(actor: Actor, case: AsbCase) -> QuerySet[AsbEntry]:
    """The whole timeline; a housing officer it is shared with does not read who it was linked to."""
    entries = AsbEntry.objects.filter(case=case).select_related("by").order_by("at", "id")
    return entries if is_asb_team(actor) else entries.exclude(kind__in=AsbEntry.ASB_TEAM_ONLY)


def people_to_link(actor: Actor, term: str) -> list[Membership]:
    """The current members of the tenancies the staff search finds for the term (within what the
    actor may see, never a test household), for an ASB officer choosing whose record a report
    names: tenancy by tenancy, lead tenant first."""
    if not actor.is_staff or not actor.has_role(*WORKERS):
        return []
    tenancies = [tenancy.pk for tenancy in housing_access.search_tenancies(actor, term)[:LINK_TENANCIES]]
    return list(
        Membership.objects.current()
        .filter(tenancy_id__in=tenancies)
        .select_related("person", "tenancy__property")
        .order_by("tenancy__reference", housing_access.LEAD_FIRST, "person__last_name", "person__first_name")
    )


def get_person_to_link(actor: Actor, code: UUID | str) -> Person:
    """A person the ASB officer may see, never a test household's (404 otherwise)."""
    person = Person.objects.visible_to(actor).filter(uuid=code, is_test=False).first()
    if person is None:
        raise Http404
    return person


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
