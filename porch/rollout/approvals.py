"""Two-person approval: a change that widens who sees data waits for a second person
(never the proposer, never the staff member it is about) to approve it.

This is the engine only. Each kind of change belongs to the module that owns the setting
(an ApprovalKind in its module.py), which writes the proposal's target with its own typed
target and applies the approved change through the same service that narrows it."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.modules import ApprovalKind, ApprovalRefused, approval_kind
from porch.core.roles import GUARDIANS
from porch.rollout.models import ChangeProposal

__all__ = ["ApprovalRefused", "change_decide", "change_propose", "proposals_withdraw"]


def change_propose(
    *,
    actor: Actor,
    kind: ApprovalKind,
    target: object,
    before: str,
    after: str,
    reason: str,
    request: HttpRequest | None = None,
) -> ChangeProposal:
    """Save a widening change as a proposal; nothing changes until someone else approves."""
    if not actor.has_role(*GUARDIANS) or actor.user_id is None:
        raise ApprovalRefused("Only the Data Protection Officer or a system administrator can propose this.")
    pending = ChangeProposal.objects.filter(kind=kind.key, target=str(target), status=ChangeProposal.Status.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing
    with transaction.atomic():
        proposal = ChangeProposal.objects.create(
            kind=kind.key, target=str(target), before=before, after=after, reason=reason, proposed_by_id=actor.user_id
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


def proposals_withdraw(*, kind: ApprovalKind, target: object) -> None:
    """A pending proposal made before things changed (a new switch-off, a revoked role) no longer stands."""
    ChangeProposal.objects.filter(kind=kind.key, target=str(target), status=ChangeProposal.Status.PENDING).update(
        status=ChangeProposal.Status.REJECTED, decided_at=timezone.now()
    )


def change_decide(*, actor: Actor, proposal: ChangeProposal, approve: bool, request: HttpRequest | None = None) -> None:
    """Approve (and apply) or reject a proposal. The proposer can do neither."""
    if proposal.proposed_by_id == actor.user_id:
        raise ApprovalRefused("You proposed this change, so someone else must approve or reject it.")
    if not actor.has_role(*GUARDIANS):
        raise ApprovalRefused("Only the Data Protection Officer or a system administrator can decide this.")
    kind = approval_kind(proposal.kind)
    if _about(actor, kind, proposal.target):
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
            kind.apply(proposal.target, actor)
        record(
            actor=actor,
            action="update",
            object_type="change_proposal",
            object_id=proposal.uuid,
            reason=f"{'approved' if approve else 'rejected'}: {proposal.after}"[:500],
            request=request,
        )


def _about(actor: Actor, kind: ApprovalKind, target: str) -> bool:
    """Whether the decider is the staff member a change (a role, a training record) is about."""
    if kind.about_staff is None or actor.user_id is None:
        return False
    return User.objects.filter(pk=actor.user_id, uuid=kind.about_staff(target)).exists()
