"""A repair as the subject of a conversation (porch.core.modules.SubjectKind): found through
the repairs' own access rule for whoever is looking, the look audited like any other."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse

from porch.core.actor import Actor
from porch.core.modules import Subject, SubjectKind
from porch.repairs import access, services


def find_repair(actor: Actor, code: str, request: HttpRequest) -> Subject | None:
    try:
        repair = access.get_repair_for(actor, code)
    except Http404:
        return None
    services.record_reads(actor, "view", [repair], request)
    page = "repairs:detail" if actor.is_resident else "repairs:staff_detail"
    url = reverse(page, args=[repair.uuid])
    return Subject("repair", str(repair.uuid), repair.tenancy_id, f"Repair {repair.reference}", url)


REPAIR_SUBJECT = SubjectKind("repair", "a repair", "repair", find=find_repair)
