"""Who may open personal data: role grants, training records and the training
window. Widening any of them is a proposal; narrowing takes effect at once."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from porch.accounts.models import RoleGrant, User
from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.approvals import Target
from porch.core.modules import ApprovalKind
from porch.core.roles import StaffRole
from porch.rollout.approvals import change_propose, proposals_withdraw
from porch.rollout.models import AccessPolicy, ChangeProposal
from porch.rollout.policy import training_valid_days


def role_grant_propose(*, actor: Actor, user: User, role: str, request: HttpRequest | None = None) -> ChangeProposal:
    label = StaffRole(role).label
    return change_propose(
        actor=actor,
        kind=GIVE_ROLE,
        target=RoleTarget(user.uuid, role),
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
        proposals_withdraw(kind=GIVE_ROLE, target=RoleTarget(user.uuid, role))
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
        kind=TRAINING_RECORD,
        target=TrainingTarget(user.uuid, completed_on),
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
            kind=TRAINING_WINDOW,
            target=days,
            before=f"Training lasts {current} days",
            after=f"Training lasts {days} days",
            reason="Longer training window",
            request=request,
        )
    with transaction.atomic():
        _training_window_save(days)
        record(
            actor=actor,
            action="update",
            object_type="access_policy",
            reason=f"training window {days} days",
            request=request,
        )
    return None


def _training_window_save(days: int) -> None:
    AccessPolicy.objects.update_or_create(pk=1, defaults={"training_valid_days": days})


# --- Approved widenings of who may open personal data ----------------------------


@dataclass(frozen=True)
class RoleTarget(Target):
    """A role for one staff member."""

    user: uuid.UUID
    role: str


@dataclass(frozen=True)
class TrainingTarget(Target):
    """A staff member's training date."""

    user: uuid.UUID
    completed_on: datetime.date


def role_grant_apply(target: str, approver: Actor) -> None:
    wanted = RoleTarget.parse(target)
    user = User.objects.get(uuid=wanted.user, kind=User.Kind.STAFF)
    RoleGrant.objects.get_or_create(user=user, role=wanted.role)


def training_record_apply(target: str, approver: Actor) -> None:
    wanted = TrainingTarget.parse(target)
    User.objects.filter(uuid=wanted.user, kind=User.Kind.STAFF).update(training_completed_on=wanted.completed_on)


def training_window_apply(target: str, approver: Actor) -> None:
    _training_window_save(int(target))


GIVE_ROLE = ApprovalKind(
    "role_grant",
    "Give a staff member a role or permission",
    apply=role_grant_apply,
    about_staff=lambda target: str(RoleTarget.parse(target).user),
)
TRAINING_RECORD = ApprovalKind(
    "training_record",
    "Record a staff member's data protection training",
    apply=training_record_apply,
    about_staff=lambda target: str(TrainingTarget.parse(target).user),
)
TRAINING_WINDOW = ApprovalKind(
    "training_window", "Make data protection training last longer", apply=training_window_apply
)
