"""Switching off is one person's call; anything that widens who sees data waits
for a second person (never the proposer) to approve it."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import RoleGrant, User
from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.modules import switch_name
from porch.core.roles import GUARDIANS
from porch.documents.models import DocumentType
from porch.rollout.models import AccessPolicy, ChangeProposal, Cohort, CohortHomes, CohortModule, ModuleSwitch
from porch.rollout.switches import forget


class ApprovalRefused(Exception):
    pass


def module_switch_off(
    *, actor: Actor, module: str, reason: str, cohort: Cohort | None = None, request: HttpRequest | None = None
) -> None:
    """Take a module (or the whole portal) away from residents now, for everyone or one cohort.
    Needs no second person."""
    with transaction.atomic():
        ModuleSwitch.objects.update_or_create(
            module=module,
            cohort=cohort,
            defaults={"is_off": True, "reason": reason, "changed_by_id": actor.user_id, "changed_at": timezone.now()},
        )
        record(
            actor=actor,
            action="update",
            object_type="module_switch",
            object_id=module,
            reason=f"off for {cohort or 'everyone'}: {reason}"[:500],
            request=request,
        )
        proposals_withdraw(kind=ChangeProposal.Kind.SWITCH_ON, target=switch_target(module, cohort))
    forget()


def proposals_withdraw(*, kind: str, target: str) -> None:
    """A pending proposal made before things changed (a new switch-off, a revoked role) no longer stands."""
    ChangeProposal.objects.filter(kind=kind, target=target, status=ChangeProposal.Status.PENDING).update(
        status=ChangeProposal.Status.REJECTED, decided_at=timezone.now()
    )


def switch_target(module: str, cohort: Cohort | None) -> str:
    return f"{module}:{cohort.uuid}" if cohort else module


def change_propose(
    *, actor: Actor, kind: str, target: str, before: str, after: str, reason: str, request: HttpRequest | None = None
) -> ChangeProposal:
    """Save a widening change as a proposal; nothing changes until someone else approves."""
    if not actor.has_role(*GUARDIANS) or actor.user_id is None:
        raise ApprovalRefused("Only the Data Protection Officer or a system administrator can propose this.")
    existing = ChangeProposal.objects.filter(kind=kind, target=target, status=ChangeProposal.Status.PENDING).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        proposal = ChangeProposal.objects.create(
            kind=kind, target=target, before=before, after=after, reason=reason, proposed_by_id=actor.user_id
        )
        record(
            actor=actor,
            action="create",
            object_type="change_proposal",
            object_id=proposal.uuid,
            reason=f"{after}: {reason}"[:500],
            request=request,
        )
    return proposal


def change_decide(*, actor: Actor, proposal: ChangeProposal, approve: bool, request: HttpRequest | None = None) -> None:
    """Approve (and apply) or reject a proposal. The proposer can do neither."""
    if proposal.proposed_by_id == actor.user_id:
        raise ApprovalRefused("You proposed this change, so someone else must approve or reject it.")
    if not actor.has_role(*GUARDIANS):
        raise ApprovalRefused("Only the Data Protection Officer or a system administrator can decide this.")
    if _benefits(actor, proposal):
        raise ApprovalRefused("This change is about you, so someone else must approve or reject it.")
    with transaction.atomic():
        decided = ChangeProposal.objects.filter(pk=proposal.pk, status=ChangeProposal.Status.PENDING).update(
            status=ChangeProposal.Status.APPROVED if approve else ChangeProposal.Status.REJECTED,
            decided_by_id=actor.user_id,
            decided_at=timezone.now(),
        )
        if not decided:
            raise ApprovalRefused("Someone has already decided this change.")
        if approve:
            APPLY[ChangeProposal.Kind(proposal.kind)](proposal, actor)
        record(
            actor=actor,
            action="update",
            object_type="change_proposal",
            object_id=proposal.uuid,
            reason=f"{'approved' if approve else 'rejected'}: {proposal.after}"[:500],
            request=request,
        )
    forget()


def _benefits(actor: Actor, proposal: ChangeProposal) -> bool:
    """Whether the decider is the staff member a role or training proposal is about."""

    if proposal.kind not in (ChangeProposal.Kind.ROLE_GRANT, ChangeProposal.Kind.TRAINING_RECORD):
        return False
    target_user = proposal.target.split(":")[0]
    return actor.user_id is not None and User.objects.filter(pk=actor.user_id, uuid=uuid.UUID(target_user)).exists()


def _switch_on(proposal: ChangeProposal, approver: Actor) -> None:
    module, _, cohort_code = proposal.target.partition(":")
    switches = ModuleSwitch.objects.filter(module=module)
    if cohort_code:
        switches = switches.filter(cohort__uuid=uuid.UUID(cohort_code))
    else:
        switches = switches.filter(cohort__isnull=True)
    switches.update(is_off=False, reason="", changed_by_id=approver.user_id, changed_at=timezone.now())


def _document_type_visible(proposal: ChangeProposal, approver: Actor) -> None:
    document_type = DocumentType.objects.get(uuid=uuid.UUID(proposal.target))
    if not document_type.may_be_resident_visible:
        raise ApprovalRefused("This type of document can never be shown to residents.")
    document_type.resident_visible = True
    document_type.save(update_fields=["resident_visible"])


def _cohort_add_homes(proposal: ChangeProposal, approver: Actor) -> None:
    from porch.rollout.launch import all_green

    homes = CohortHomes.objects.select_related("cohort").get(uuid=uuid.UUID(proposal.target))
    if not all_green(homes.cohort):
        raise ApprovalRefused("The cohort's launch checklist must be all green before it takes more homes.")
    homes.active = True
    homes.save(update_fields=["active"])


def _cohort_module_on(proposal: ChangeProposal, approver: Actor) -> None:
    cohort_code, module = proposal.target.split(":")
    cohort = Cohort.objects.get(uuid=uuid.UUID(cohort_code))
    CohortModule.objects.update_or_create(cohort=cohort, module=module, defaults={"enabled": True})


def _role_grant(proposal: ChangeProposal, approver: Actor) -> None:

    user_code, role = proposal.target.split(":")
    user = User.objects.get(uuid=uuid.UUID(user_code), kind=User.Kind.STAFF)
    RoleGrant.objects.get_or_create(user=user, role=role)


def _training_record(proposal: ChangeProposal, approver: Actor) -> None:

    user_code, completed_on = proposal.target.split(":")
    User.objects.filter(uuid=uuid.UUID(user_code), kind=User.Kind.STAFF).update(
        training_completed_on=datetime.date.fromisoformat(completed_on)
    )


def _training_window(proposal: ChangeProposal, approver: Actor) -> None:
    AccessPolicy.objects.update_or_create(pk=1, defaults={"training_valid_days": int(proposal.target)})


APPLY = {
    ChangeProposal.Kind.SWITCH_ON: _switch_on,
    ChangeProposal.Kind.DOCUMENT_TYPE_VISIBLE: _document_type_visible,
    ChangeProposal.Kind.COHORT_ADD_HOMES: _cohort_add_homes,
    ChangeProposal.Kind.COHORT_MODULE_ON: _cohort_module_on,
    ChangeProposal.Kind.ROLE_GRANT: _role_grant,
    ChangeProposal.Kind.TRAINING_RECORD: _training_record,
    ChangeProposal.Kind.TRAINING_WINDOW: _training_window,
}


def module_label(module: str) -> str:
    return switch_name(module)
