"""On call: the rota, and acknowledging a call from its link or from the incident page."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from porch.audit.services import record
from porch.core import rls
from porch.core.roles import StaffRole
from porch.core.routes import PUBLIC, audience, staff
from porch.core.types import PorchRequest
from porch.incidents import access, escalation
from porch.incidents import rota as rota_changes
from porch.incidents.models import Incident
from porch.incidents.oncall_forms import OnCallShiftForm


@audience(PUBLIC)
@rls.answered_by_system
def acknowledge(request: PorchRequest, token: str) -> HttpResponse:
    """The link in a call. Opening it does nothing (mail scanners open links); the button
    acknowledges. It shows no personal data, so it needs no sign-in at 3am on a phone."""
    notification = escalation.notification_for_token(token)
    if notification is None:
        return render(request, "incidents/acknowledge_invalid.html", status=404)
    if notification.incident.status == Incident.Status.CLOSED:
        return render(request, "incidents/acknowledge_invalid.html", {"closed": True}, status=410)
    # No rate limit: only a genuine link gets this far, and one office's on-call staff
    # acknowledging several incidents must never be turned away.
    if request.method == "POST" and escalation.acknowledge_by_link(notification):
        notification.incident.refresh_from_db()
        return render(request, "incidents/acknowledged.html", {"incident": notification.incident})
    if notification.ack_used_at or request.method == "POST":
        return render(request, "incidents/acknowledge_invalid.html", {"used": True}, status=410)
    return render(request, "incidents/acknowledge.html", {"notification": notification})


@audience(staff(personal_data=True))
@require_POST
def incident_acknowledge(request: PorchRequest, code: UUID) -> HttpResponse:
    found = access.get_incident_for(request.actor, code)
    escalation.incident_acknowledge(actor=request.actor, incident=found)
    record(
        actor=request.actor,
        action="update",
        object_type="incident",
        object_id=found.uuid,
        reason="acknowledged",
        request=request,
    )
    messages.success(request, f"You have acknowledged {found.reference}. Nobody else will be called.")
    return redirect("incidents:incident", code=found.uuid)


@audience(staff())
def rota(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    now = timezone.now()
    shifts = access.shifts_for(actor).filter(ends_at__gt=now)
    form = None
    if access.may_decide(actor):
        people = access.on_call_candidates(actor)
        form = OnCallShiftForm(request.POST if request.method == "POST" else None, people=people)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            rota_changes.on_call_shift_add(
                actor=actor,
                user=data["user"],
                rung=data["rung"],
                role_label=data["role_label"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                request=request,
            )
            messages.success(request, "Added to the rota.")
            return redirect("incidents:rota")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "on_now": escalation.ladder_at(now),
        "shifts": list(shifts),
        "form": form,
        "wait_minutes": settings.ESCALATION_WAIT_MINUTES,
        "webhook": bool(settings.INCIDENT_WEBHOOK_URL),
    }
    return render(request, "incidents/rota.html", context)


@audience(staff(StaffRole.DPO))
@require_POST
def rota_remove(request: PorchRequest, code: UUID) -> HttpResponse:
    shift = access.get_shift_for(request.actor, code)
    rota_changes.on_call_shift_remove(actor=request.actor, shift=shift, request=request)
    messages.success(request, "Taken off the rota.")
    return redirect("incidents:rota")
