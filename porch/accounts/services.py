from __future__ import annotations

import getpass
import uuid

from django.contrib.auth import update_session_auth_hash
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import ActivationLetter, RoleGrant, SignupHelpRequest, User
from porch.accounts.signals import other_sessions_ended
from porch.audit.services import record
from porch.core import rls
from porch.core.actor import ANONYMOUS_ACTOR, Actor
from porch.core.idempotency import create_once
from porch.housing.models import Patch


def user_end_other_sessions(*, user: User, request: HttpRequest) -> None:
    """Every session but this one stops working at its next request."""
    user.session_stamp = uuid.uuid4()
    user.save(update_fields=["session_stamp"])
    update_session_auth_hash(request, user)
    other_sessions_ended.send(sender=User, request=request, user=user)


def help_request_create(
    *, idempotency_key: uuid.UUID, full_name: str, contact: str, address: str, tenancy_reference: str, message: str
) -> SignupHelpRequest:
    """Store one help request however many times the form is sent."""

    def create() -> SignupHelpRequest:
        return SignupHelpRequest.objects.create(
            idempotency_key=idempotency_key,
            full_name=full_name,
            contact=contact,
            address=address,
            tenancy_reference=tenancy_reference,
            message=message,
        )

    # Filed by the system, for someone not signed in: behind the database wall (ADR 0032) help
    # requests are staff-only rows, which only the front desk reads.
    with rls.as_system(connection):
        return create_once(SignupHelpRequest.objects.all(), idempotency_key, create)


def letter_mark_printed(*, actor: Actor, letter: ActivationLetter, request: HttpRequest | None = None) -> None:
    """Printed letters leave the queue, and their PDF (which holds the code) is deleted."""
    with transaction.atomic():
        letter.printed_at = timezone.now()
        letter.pdf = None
        letter.save(update_fields=["printed_at", "pdf"])
        record(
            actor=actor,
            action="update",
            object_type="activation_letter",
            object_id=letter.uuid,
            reason="printed",
            subject_ids=[letter.person_id],
            tenancy_id=letter.tenancy_id,
            request=request,
        )


def staff_role_grant(*, username: str, role: str, patch_names: list[str], reason: str) -> None:
    """Give a staff member a role, from the command line only, and record it."""
    user = User.objects.filter(username=username, kind=User.Kind.STAFF).first()
    if user is None:
        raise ValueError(f"No staff account called {username}.")
    patches = list(Patch.objects.filter(name__in=patch_names))
    if len(patches) != len(set(patch_names)):
        raise ValueError("One or more patches do not exist.")
    with transaction.atomic():
        RoleGrant.objects.get_or_create(user=user, role=role)
        user.patches.add(*patches)
        record(
            actor=ANONYMOUS_ACTOR,
            action="update",
            object_type="role_grant",
            object_id=user.uuid,
            reason=f"{role} granted by {getpass.getuser()} on the command line, patches {sorted(patch_names)}: {reason}"[
                :500
            ],
        )
