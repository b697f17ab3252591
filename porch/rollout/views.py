"""Kill switches and the second-person approval queue."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.accounts.module import SIGNUP
from porch.core import modules
from porch.core.roles import GUARDIANS, StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.rollout import access, invitations, launch
from porch.rollout import approvals as approval_service
from porch.rollout import staff_accounts as staff_accounts_service
from porch.rollout import switches as switch_service
from porch.rollout.cohorts import cohort_switches
from porch.rollout.forms import (
    CohortForm,
    CohortHomesForm,
    DpiaForm,
    RoleGrantForm,
    SwitchReasonForm,
    TrainingForm,
    TrainingWindowForm,
)
from porch.rollout.models import Cohort
from porch.rollout.policy import training_valid_days

SETTINGS_KEEPERS = staff(*sorted(GUARDIANS))


@audience(SETTINGS_KEEPERS)
def switches(request: PorchRequest) -> HttpResponse:
    return render(
        request, "rollout/switches.html", {"switches": access.switches_for(request.actor), "form": SwitchReasonForm()}
    )


@audience(SETTINGS_KEEPERS)
@require_POST
def switch_off(request: PorchRequest, module: str) -> HttpResponse:
    actor = request.actor
    module = access.get_module_for(actor, module)
    cohort = access.cohort_or_everyone(actor, request.POST.get("cohort", ""))
    if cohort is not None and module == SIGNUP.key:
        raise Http404  # sign-up is switched for everyone only
    form = SwitchReasonForm(request.POST)
    if not form.is_valid():
        return _switches_page(request, form, failed=access.SwitchRow(module, "", cohort, None).key)
    switch_service.module_switch_off(
        actor=actor, module=module, cohort=cohort, reason=form.cleaned_data["reason"], request=request
    )
    messages.success(request, f"{modules.switch_name(module)}: switched off for {cohort or 'everyone'}.")
    return redirect("rollout:switches")


@audience(SETTINGS_KEEPERS)
@require_POST
def switch_on(request: PorchRequest, module: str) -> HttpResponse:
    """Switching back on widens who sees data again: it needs a second person."""
    actor = request.actor
    module = access.get_module_for(actor, module)
    cohort = access.cohort_or_everyone(actor, request.POST.get("cohort", ""))
    form = SwitchReasonForm(request.POST)
    if not form.is_valid():
        return _switches_page(request, form, failed=access.SwitchRow(module, "", cohort, None).key)
    label = f"{modules.switch_name(module)} for {cohort or 'everyone'}"
    approval_service.change_propose(
        actor=actor,
        kind=switch_service.SWITCH_ON,
        target=switch_service.SwitchTarget.of(module, cohort),
        before=f"{label}: off",
        after=f"{label}: on",
        reason=form.cleaned_data["reason"],
        request=request,
    )
    messages.success(request, f"{label}: asked to switch back on. Another person must approve it.")
    return redirect("rollout:approvals")


def _switches_page(request: PorchRequest, form: SwitchReasonForm, failed: str) -> HttpResponse:
    context = {"switches": access.switches_for(request.actor), "form": form, "failed": failed}
    return render(request, "rollout/switches.html", context, status=400)


@audience(SETTINGS_KEEPERS)
def approvals(request: PorchRequest) -> HttpResponse:
    pending = list(access.pending_proposals(request.actor))
    return render(request, "rollout/approvals.html", {"pending": pending})


@audience(SETTINGS_KEEPERS)
@require_POST
def decide(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    proposal = access.get_proposal_for(actor, code)
    approve = request.POST.get("decision") == "approve"
    try:
        approval_service.change_decide(actor=actor, proposal=proposal, approve=approve, request=request)
    except approval_service.ApprovalRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{'Approved' if approve else 'Rejected'}: {proposal.after}.")
    return redirect("rollout:approvals")


@audience(SETTINGS_KEEPERS)
def cohorts(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = CohortForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cohort = launch.cohort_create(actor=actor, name=form.cleaned_data["name"], request=request)
        return redirect("rollout:cohort", code=cohort.uuid)
    return render(request, "rollout/cohorts.html", {"cohorts": access.cohorts_for(actor), "form": form})


@audience(SETTINGS_KEEPERS)
def cohort(request: PorchRequest, code: UUID) -> HttpResponse:
    return _cohort_page(request, access.get_cohort_for(request.actor, code))


def _cohort_page(request: PorchRequest, cohort: Cohort, status: int = 200, **forms: object) -> HttpResponse:
    context = {
        "cohort": cohort,
        "checklist": launch.checklist(cohort),
        "all_green": launch.all_green(cohort),
        "homes": list(cohort.homes.select_related("patch", "estate", "block", "tenancy")),
        "module_settings": _module_settings(cohort),
        "scripts": list(cohort.scripts.select_related("signed_off_by")),
        "homes_form": forms.get("homes_form") or CohortHomesForm(),
        "dpia_form": forms.get("dpia_form") or DpiaForm(),
        "is_dpo": request.actor.has_role(StaffRole.DPO),
    }
    return render(request, "rollout/cohort.html", context, status=status)


def _module_settings(cohort: Cohort) -> list[tuple[str, str, bool]]:
    """The modules a cohort can switch on (the portal itself and sign-up come with opening)."""
    enabled = {setting.module: setting.enabled for setting in cohort.modules.all()}
    return [(switch.key, switch.name, enabled.get(switch.key, False)) for switch in cohort_switches()]


@audience(SETTINGS_KEEPERS)
@require_POST
def cohort_homes(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    form = CohortHomesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _cohort_page(request, cohort, status=400, homes_form=form)
    added = launch.cohort_add_homes(actor=actor, cohort=cohort, places=form.cleaned_data["places"], request=request)
    waiting = " They wait for a second person to approve them." if cohort.status == Cohort.Status.OPEN else ""
    messages.success(request, f"Added {added} place{'s' if added != 1 else ''}.{waiting}")
    return redirect("rollout:cohort", code=cohort.uuid)


@audience(SETTINGS_KEEPERS)
@require_POST
def cohort_module(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    module = access.get_module_for(actor, request.POST.get("module", ""))
    enabled = request.POST.get("enabled") == "on"
    launch.cohort_module_set(actor=actor, cohort=cohort, module=module, enabled=enabled, request=request)
    messages.success(
        request,
        "Asked to switch it on. Another person must approve it." if enabled else "Switched off for this cohort.",
    )
    return redirect("rollout:cohort", code=cohort.uuid)


@audience(SETTINGS_KEEPERS)
@require_POST
def cohort_dpia(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    form = DpiaForm(request.POST, request.FILES)
    if not form.is_valid():
        return _cohort_page(request, cohort, status=400, dpia_form=form)
    launch.cohort_dpia_attach(actor=actor, cohort=cohort, checked=form.checked, request=request)
    messages.success(request, "DPIA attached.")
    return redirect("rollout:cohort", code=cohort.uuid)


@audience(SETTINGS_KEEPERS)
@require_POST
def script_sign_off(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    script = access.get_script_for(actor, code)
    launch.script_sign_off(actor=actor, script=script, request=request)
    return redirect("rollout:cohort", code=script.cohort.uuid)


@audience(staff(StaffRole.DPO))
@require_POST
def cohort_sign_off(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    launch.cohort_dpo_sign_off(actor=actor, cohort=cohort, request=request)
    return redirect("rollout:cohort", code=cohort.uuid)


@audience(SETTINGS_KEEPERS)
@require_POST
def cohort_status(request: PorchRequest, code: UUID) -> HttpResponse:
    """Open (only when the checklist is all green) or close a cohort."""
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    try:
        if request.POST.get("status") == "open":
            launch.cohort_open(actor=actor, cohort=cohort, request=request)
            messages.success(request, f"{cohort.name} is open.")
        else:
            launch.cohort_close(actor=actor, cohort=cohort, request=request)
            messages.success(request, f"{cohort.name} is closed. Its residents cannot use the portal now.")
    except approval_service.ApprovalRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("rollout:cohort", code=cohort.uuid)


@audience(SETTINGS_KEEPERS)
def cohort_invitations(request: PorchRequest, code: UUID) -> HttpResponse:
    """Progress of a cohort's invitations; POST queues everyone not yet invited."""
    actor = request.actor
    cohort = access.get_cohort_for(actor, code)
    if request.method == "POST":
        try:
            queued = invitations.invitations_queue(actor=actor, cohort=cohort, request=request)
        except ValueError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"{queued} invitation{'s' if queued != 1 else ''} queued. They go out in batches."
            )
        return redirect("rollout:cohort_invitations", code=cohort.uuid)
    context = {"cohort": cohort, "progress": invitations.progress(cohort), "per_hour": settings.INVITATIONS_PER_HOUR}
    return render(request, "rollout/invitations.html", context)


@audience(SETTINGS_KEEPERS)
def staff_accounts(request: PorchRequest) -> HttpResponse:
    """Staff, their roles and training; and how long training lasts."""
    actor = request.actor
    form = TrainingWindowForm(
        request.POST if request.method == "POST" else None, initial={"days": training_valid_days()}
    )
    if request.method == "POST" and form.is_valid():
        proposal = staff_accounts_service.training_window_set(
            actor=actor, days=form.cleaned_data["days"], request=request
        )
        messages.success(
            request,
            "Asked for a longer window. Another person must approve it." if proposal else "Training window changed.",
        )
        return redirect("rollout:staff_accounts")
    context = {"accounts": access.staff_accounts_for(actor), "form": form, "window": training_valid_days()}
    return render(request, "rollout/staff_accounts.html", context)


@audience(SETTINGS_KEEPERS)
def staff_account(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    user = access.get_staff_account_for(actor, code)
    role_form = RoleGrantForm(request.POST if request.POST.get("form") == "role" else None)
    training_form = TrainingForm(request.POST if request.POST.get("form") == "training" else None)
    if role_form.is_bound and role_form.is_valid():
        staff_accounts_service.role_grant_propose(
            actor=actor, user=user, role=role_form.cleaned_data["role"], request=request
        )
        messages.success(request, "Asked to give the role. Another person must approve it.")
        return redirect("rollout:staff_account", code=user.uuid)
    if training_form.is_bound and training_form.is_valid():
        completed_on = training_form.cleaned_data["completed_on"]
        staff_accounts_service.training_record_propose(
            actor=actor, user=user, completed_on=completed_on, request=request
        )
        messages.success(request, "Training recorded. Another person must approve it.")
        return redirect("rollout:staff_account", code=user.uuid)
    if request.POST.get("form") == "revoke":
        try:
            staff_accounts_service.role_revoke(
                actor=actor, user=user, role=request.POST.get("role", ""), request=request
            )
        except staff_accounts_service.LastGuardian as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Role taken away.")
        return redirect("rollout:staff_account", code=user.uuid)
    status = 400 if role_form.errors or training_form.errors else 200
    context = {"account": user, "role_form": role_form, "training_form": training_form}
    return render(request, "rollout/staff_account.html", context, status=status)
