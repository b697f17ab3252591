"""The one way in to sign-up queues: activation letters and help requests."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from porch.accounts.models import ActivationLetter, SignupHelpRequest, User
from porch.core.actor import Actor
from porch.core.roles import FRONT_DESK


def letters_waiting(actor: Actor) -> QuerySet[ActivationLetter]:
    """Letters not yet printed and still of use (nobody has signed up with the code or
    since): customer services and the DPO only."""
    if not actor.has_role(*FRONT_DESK):
        return ActivationLetter.objects.none()
    return (
        ActivationLetter.objects.filter(printed_at__isnull=True, signup_code__used_at__isnull=True)
        .exclude(person__user__isnull=False)
        .select_related("person", "tenancy__property")
        .order_by("created_at")
    )


def get_letter_for(actor: Actor, code: UUID | str) -> ActivationLetter:
    letter = letters_waiting(actor).filter(uuid=code).first()
    if letter is None:
        raise Http404
    return letter


def help_requests_waiting(actor: Actor) -> QuerySet[SignupHelpRequest]:
    if not actor.has_role(*FRONT_DESK):
        return SignupHelpRequest.objects.none()
    return SignupHelpRequest.objects.filter(resolved_at__isnull=True).order_by("created_at")


def queue_counts(actor: Actor) -> dict[str, int]:
    return {"letters": letters_waiting(actor).count(), "help_requests": help_requests_waiting(actor).count()}


def user_pending_sign_in(pk: object) -> User | None:
    """The user who gave the right password and still owes a second factor."""
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
