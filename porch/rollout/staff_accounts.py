"""Who may open personal data: role grants, training records and the training
window. Widening any of them is a proposal; narrowing takes effect at once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest

from porch.accounts.models import RoleGrant, User
from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.rollout.models import AccessPolicy, ChangeProposal
from porch.rollout.policy import training_valid_days
from porch.rollout.services import change_propose, proposals_withdraw


def role_grant_propose(*, actor: Actor, user: User, role: str, request: HttpRequest | None = None) -> ChangeProposal:
    label = StaffRole(role).label
    return change_propose(
        actor=actor,
        kind=ChangeProposal.Kind.ROLE_GRANT,
        target=f"{user.uuid}:{role}",
        before=f"{user.username}: without {label}",
        after=f"{user.username}: {label}",
        reason="Asked on the staff accounts page",
        request=request,
    )


class LastGuardian(Exception):
    pass


def role_revoke(*, actor: Actor, user: User, role: str, request: HttpRequest | None = None) -> None:
    """Immediate. The last DPO or system administrator stays: nobody could approve anything without them."""
    guardian = role in (StaffRole.DPO, StaffRole.SYSADMIN)
    if guardian and not RoleGrant.objects.filter(role=role, user__is_active=True).exclude(user=user).exists():
        raise LastGuardian(f"{user.username} is the last {StaffRole(role).label}, so the role stays.")
    with transaction.atomic():
        RoleGrant.objects.filter(user=user, role=role).delete()
        proposals_withdraw(kind=ChangeProposal.Kind.ROLE_GRANT, target=f"{user.uuid}:{role}")
        record(
            actor=actor,
            action="update",
            object_type="role_grant",
            object_id=user.uuid,
            reason=f"{role} revoked",
            request=request,
        )


def training_record_propose(
    *, actor: Actor, user: User, completed_on: datetime.date, request: HttpRequest | None = None
) -> ChangeProposal:
    return change_propose(
        actor=actor,
        kind=ChangeProposal.Kind.TRAINING_RECORD,
        target=f"{user.uuid}:{completed_on.isoformat()}",
        before=f"{user.username}: training {user.training_completed_on or 'never recorded'}",
        after=f"{user.username}: training completed {completed_on:%d %B %Y}",
        reason="Training record",
        request=request,
    )


def training_window_set(*, actor: Actor, days: int, request: HttpRequest | None = None) -> ChangeProposal | None:
    """A shorter window takes effect now; a longer one waits for a second person."""
    current = training_valid_days()
    if days > current:
        return change_propose(
            actor=actor,
            kind=ChangeProposal.Kind.TRAINING_WINDOW,
            target=str(days),
            before=f"Training lasts {current} days",
            after=f"Training lasts {days} days",
            reason="Longer training window",
            request=request,
        )
    with transaction.atomic():
        AccessPolicy.objects.update_or_create(pk=1, defaults={"training_valid_days": days})
        record(
            actor=actor,
            action="update",
            object_type="access_policy",
            reason=f"training window {days} days",
            request=request,
        )
    return None
