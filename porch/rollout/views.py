"""Kill switches and the second-person approval queue."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.accounts.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.rollout import access, services
from porch.rollout.forms import SwitchReasonForm
from porch.rollout.models import ChangeProposal

GUARDIANS = staff(StaffRole.DPO, StaffRole.SYSADMIN)


@audience(GUARDIANS)
def switches(request: PorchRequest) -> HttpResponse:
    return render(
        request, "rollout/switches.html", {"switches": access.switches_for(request.actor), "form": SwitchReasonForm()}
    )


@audience(GUARDIANS)
@require_POST
def switch_off(request: PorchRequest, module: str) -> HttpResponse:
    actor = request.actor
    module = access.get_module_for(actor, module)
    form = SwitchReasonForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "rollout/switches.html",
            {"switches": access.switches_for(actor), "form": form, "failed": module},
            status=400,
        )
    services.module_switch_off(actor=actor, module=module, reason=form.cleaned_data["reason"], request=request)
    messages.success(request, f"{services.module_label(module)}: switched off for residents.")
    return redirect("rollout:switches")


@audience(GUARDIANS)
@require_POST
def switch_on(request: PorchRequest, module: str) -> HttpResponse:
    """Switching back on widens who sees data again: it needs a second person."""
    actor = request.actor
    module = access.get_module_for(actor, module)
    form = SwitchReasonForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "rollout/switches.html",
            {"switches": access.switches_for(actor), "form": form, "failed": module},
            status=400,
        )
    label = services.module_label(module)
    services.change_propose(
        actor=actor,
        kind=ChangeProposal.Kind.SWITCH_ON,
        target=module,
        before=f"{label}: off",
        after=f"{label}: on",
        reason=form.cleaned_data["reason"],
        request=request,
    )
    messages.success(request, f"{label}: asked to switch back on. Another person must approve it.")
    return redirect("rollout:approvals")


@audience(GUARDIANS)
def approvals(request: PorchRequest) -> HttpResponse:
    pending = list(access.pending_proposals(request.actor))
    return render(request, "rollout/approvals.html", {"pending": pending})


@audience(GUARDIANS)
@require_POST
def decide(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    proposal = access.get_proposal_for(actor, code)
    approve = request.POST.get("decision") == "approve"
    try:
        services.change_decide(actor=actor, proposal=proposal, approve=approve, request=request)
    except services.ApprovalRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{'Approved' if approve else 'Rejected'}: {proposal.after}.")
    return redirect("rollout:approvals")
