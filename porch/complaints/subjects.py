"""A complaint as the subject of a conversation (porch.core.modules.SubjectKind): found through
the complaints' own access rule for whoever is looking, the look audited like any other."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse

from porch.complaints import access, services
from porch.core.actor import Actor
from porch.core.modules import Subject, SubjectKind


def find_complaint(actor: Actor, code: str, request: HttpRequest) -> Subject | None:
    try:
        complaint = access.get_complaint_for(actor, code)
    except Http404:
        return None
    services.complaints_seen(actor, [complaint], "view", request)
    page = "complaints:detail" if actor.is_resident else "complaints:staff_detail"
    url = reverse(page, args=[complaint.uuid])
    return Subject("complaint", str(complaint.uuid), complaint.tenancy_id, f"Complaint {complaint.reference}", url)


COMPLAINT_SUBJECT = SubjectKind("complaint", "a complaint", "complaint", find=find_complaint)
