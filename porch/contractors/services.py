"""Making contractor accounts: a firm with its administrator (staff), operatives invited by
the firm's administrator, a one-time link to choose a password, deactivation. Each account
made or deactivated leaves an audit row. Once signed in, a contractor sets up two-step codes
exactly as staff do (porch.accounts)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import HttpRequest
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from porch.accounts.models import ContractorFirm, User
from porch.audit.services import record
from porch.contractors.kinds import CONTRACTOR_ACCOUNT
from porch.contractors.models import FirmAdministrator, Invitation
from porch.core import notify, rls
from porch.core.actor import ANONYMOUS_ACTOR, Actor

INVITATION_DAYS = 3


@dataclass(frozen=True)
class Invited:
    user: User
    invitation: Invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def firm_create(*, actor: Actor, name: str, admin_email: str, request: HttpRequest | None = None) -> Invited:
    """A new firm, and its administrator invited to choose a password. Behind the database wall
    the system makes them: a system administrator's principal reads no firm that did not exist
    when the request began, and an INSERT's RETURNING must pass the reading policy."""
    with rls.as_system(connection), transaction.atomic():
        firm = ContractorFirm.objects.create(name=name)
        invited = _invite(actor, firm, admin_email, request)
        FirmAdministrator.objects.create(user=invited.user, firm=firm)
    return invited


def operative_invite(*, actor: Actor, email: str, request: HttpRequest | None = None) -> Invited:
    """The firm administrator invites an operative of their own firm."""
    if actor.firm_id is None:
        raise ValueError("Only a contractor firm's administrator invites its operatives.")
    firm = ContractorFirm.objects.get(pk=actor.firm_id)
    with transaction.atomic():
        return _invite(actor, firm, email, request)


def _invite(actor: Actor, firm: ContractorFirm, email: str, request: HttpRequest | None) -> Invited:
    user = User.objects.create_user(username=email, email=email, password=None, kind=User.Kind.CONTRACTOR, firm=firm)
    invitation = Invitation.objects.create(firm=firm, user=user, invited_by_id=actor.user_id)
    record(actor=actor, action="create", object_type=CONTRACTOR_ACCOUNT, object_id=user.uuid, request=request)
    transaction.on_commit(lambda: invitation_send.enqueue(invitation_id=invitation.pk))
    return Invited(user, invitation)


@task()
def invitation_send(*, invitation_id: int) -> bool:
    """Make the invitation's link and email it. Made here, in the worker, so the link never
    waits in the task table, and it lasts INVITATION_DAYS from when it is sent. A task
    delivered twice sends once: only an invitation with no link yet is claimed."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation_id, token_hash__isnull=True).update(
        token_hash=token_hash(token), expires_at=now + datetime.timedelta(days=INVITATION_DAYS)
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("user", "firm").get(pk=invitation_id)
    link = notify.portal_link(reverse("contractors:invitation", args=[token]))
    notify.email(
        to=invitation.user.email,
        subject=f"Your {invitation.firm.name} account for repairs",
        body=(
            f"You have been given an account for {invitation.firm.name}'s repair jobs. "
            f"Choose your password at {link} within {INVITATION_DAYS} days. The link works once. "
            "You will then set up two-step sign-in codes on your phone."
        ),
        is_test=False,
    )
    return True


def invitation_for(token: str) -> Invitation | None:
    """The unused, unexpired invitation this link's token opens, for an account still active."""
    return (
        Invitation.objects.filter(
            token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )
        .select_related("user", "firm")
        .first()
    )


def invitation_accept(*, token: str, password: str, request: HttpRequest | None = None) -> User | None:
    """Set the account's password and use up the link. None when the link no longer works
    (used a moment ago by a second submit, expired, or the account was deactivated)."""
    with transaction.atomic():
        invitation = invitation_for(token)
        if invitation is None:
            return None
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:
            return None
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            actor=ANONYMOUS_ACTOR,
            action="update",
            object_type=CONTRACTOR_ACCOUNT,
            object_id=user.uuid,
            reason="password chosen from an invitation",
            request=request,
        )
    return user


def operative_deactivate(*, actor: Actor, operative: User, request: HttpRequest | None = None) -> bool:
    """The operative can no longer sign in, and every session they have ends now. False when
    they were already deactivated."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=operative.pk)
        if not locked.is_active:
            return False
        locked.is_active = False
        locked.session_stamp = uuid.uuid4()  # ends their sessions (User._get_session_auth_hash)
        locked.save(update_fields=["is_active", "session_stamp"])
        record(
            actor=actor,
            action="update",
            object_type=CONTRACTOR_ACCOUNT,
            object_id=locked.uuid,
            reason="deactivated",
            request=request,
        )
    return True
