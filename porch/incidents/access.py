"""The one way in to incidents.

The Data Protection Officer sees every incident. Anyone else on staff sees only the
incidents the escalation ladder has called them about, so the on-call engineer can
acknowledge and contain; deciding (the ICO, telling people, closing) is for the DPO."""

from __future__ import annotations

import re
from typing import Literal
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from porch.accounts.models import User
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.incidents.models import Incident, Notification, OnCallShift, PrivacyReport

# A call counts once it has gone out (or was going out when the sender stopped).
CALLED = (Notification.Status.SENDING, Notification.Status.SENT)


def incidents_for(actor: Actor) -> QuerySet[Incident]:
    if actor.has_role(StaffRole.DPO):
        return Incident.objects.prefetch_related("reports")
    if not (actor.is_staff and actor.trained and actor.user_id):
        return Incident.objects.none()
    called_about = Incident.objects.filter(
        notifications__user_id=actor.user_id, notifications__status__in=CALLED
    ).values("pk")
    return Incident.objects.filter(pk__in=called_about).prefetch_related("reports")


def may_decide(actor: Actor) -> bool:
    """ICO and affected-people decisions, near misses, joining, drills and closing."""
    return actor.has_role(StaffRole.DPO)


def get_incident_for(actor: Actor, code: UUID | str) -> Incident:
    incident = incidents_for(actor).filter(uuid=code).first()
    if incident is None:
        raise Http404
    return incident


def find_incident_for(actor: Actor, reference: str) -> Incident | None:
    """The incident a reference names, among those the actor may see (None otherwise)."""
    return incident_by_reference(incidents_for(actor), reference)


def incident_by_reference(visible: QuerySet[Incident], reference: str) -> Incident | None:
    """A reporter quotes their report's reference; an incident opened by a report has the
    same one, and a report that joined an incident keeps its own. So: the incident holding
    a report with that reference (after a join, the one its reports moved to), else the
    incident with that reference. "3f2a1c" finds PI-3F2A1C: it is read out on the phone."""
    wanted = re.sub(r"\s+", "", reference).upper()
    if re.fullmatch(r"[0-9A-F]{6}", wanted):
        wanted = f"PI-{wanted}"
    if not wanted:
        return None
    return visible.filter(reports__reference=wanted).first() or visible.filter(reference=wanted).first()


def shifts_for(actor: Actor) -> QuerySet[OnCallShift]:
    """Any staff member may see who is on call (to pass a call on); nobody else."""
    if not actor.is_staff:
        return OnCallShift.objects.none()
    return OnCallShift.objects.select_related("user")


def get_shift_for(actor: Actor, code: UUID | str) -> OnCallShift:
    if not may_decide(actor):
        raise Http404
    shift = shifts_for(actor).filter(uuid=code).first()
    if shift is None:
        raise Http404
    return shift


def on_call_candidates(actor: Actor) -> QuerySet[User]:
    """Who the DPO may put on the rota: active staff (their username is their work email)."""
    if not may_decide(actor):
        return User.objects.none()
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("username")


def first_reports(count: int) -> Prefetch[Literal["reports"], QuerySet[PrivacyReport], Literal["first_reports"]]:
    """For a list of incidents the actor may see: each one's first reports, as first_reports."""
    return Prefetch(
        "reports", queryset=PrivacyReport.objects.order_by("created_at", "id")[:count], to_attr="first_reports"
    )
