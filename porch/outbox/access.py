"""The one way in to the outbox, for staff. System administrators and the Data Protection
Officer see the deliveries (what, when, how many tries, what went wrong); only system
administrators send a given-up event again; only the DPO reads what an event said (its
reference and payload are residents' personal data; system administrators see none)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import GUARDIANS, StaffRole
from porch.outbox.models import OutboxEvent

# Who sees the deliveries: the DPO and system administrators (the guardians of the portal's settings).
WATCHERS = GUARDIANS
SENDERS = frozenset({StaffRole.SYSADMIN})
PAYLOAD_READERS = frozenset({StaffRole.DPO})


def events_for_staff(actor: Actor) -> QuerySet[OutboxEvent]:
    """Every event, newest first, for those who watch the deliveries; nothing for anyone else."""
    if not actor.has_role(*WATCHERS):
        return OutboxEvent.objects.none()
    return OutboxEvent.objects.order_by("-id")


def get_event_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> OutboxEvent:
    """An event, to those who watch the deliveries (404 for anyone else, and for an id that
    is no event). Sending it again (Action.CHANGE) is for system administrators: 403 for the DPO."""
    event = events_for_staff(actor).filter(uuid=code).first()
    if event is None:
        raise Http404
    if action == Action.CHANGE and not may_send_again(actor):
        raise PermissionDenied
    return event


def get_payload_for(actor: Actor, code: UUID | str) -> OutboxEvent:
    """An event whose reference and payload the actor may read: the DPO's, with current
    data-protection training (403 for a system administrator; 404 as get_event_for)."""
    event = get_event_for(actor, code)
    if not may_read_payloads(actor):
        raise PermissionDenied
    return event


def may_send_again(actor: Actor) -> bool:
    return actor.has_role(*SENDERS)


def may_read_payloads(actor: Actor) -> bool:
    return actor.has_role(*PAYLOAD_READERS) and actor.reads_personal_data
