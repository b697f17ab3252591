"""Writing to the outbox: a module emits an event with the change it tells of; staff send a
given-up event again; the DPO's look at what an event said is recorded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.outbox import delivery
from porch.outbox.access import may_send_again
from porch.outbox.kinds import OUTBOX_EVENT
from porch.outbox.models import EmitTurn, OutboxEvent

# "repair.reported", "details_change.approved": the thing, a dot, what happened to it.
TOPIC = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")


class OutsideTransaction(RuntimeError):
    """emit() was called outside a transaction: the event could outlive a change that
    rolls back, or a change could commit without its event."""


class NotGivenUp(Exception):
    """Only an event the outbox gave up on can be sent again (it may have been sent again already)."""


@dataclass(frozen=True)
class About:
    """What an event is about: the HMS's reference for it, and the people whose data the
    payload carries (by id, for the audit log). A test household's event is never sent:
    the HMS has no such household, and a canary's marker must never leave the portal."""

    reference: str
    people: Iterable[int | None] = ()
    test: bool = False


def emit(topic: str, *, about: About, payload: Mapping[str, Any]) -> OutboxEvent | None:
    """Write an event in the caller's transaction; after it commits, the worker sends it
    (if a webhook is set). Returns None for a test household's event, which is not kept.
    Call it last in the transaction: from here to the commit, other emitters wait their turn."""
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransaction("emit() must be called inside the transaction that makes the change.")
    if not TOPIC.fullmatch(topic) or len(topic) > 64:
        raise ValueError(f"Not a topic: {topic!r} (for example 'repair.reported').")
    if not about.reference or len(about.reference) > 64:
        raise ValueError("An event must name the reference it is about, in 64 characters or fewer.")
    if about.test:
        return None
    _take_turn()
    event = OutboxEvent.objects.create(
        topic=topic,
        about=about.reference,
        payload=_plain_json(payload),
        subject_ids=sorted({person for person in about.people if person is not None}),
    )
    _send_after_commit(event)
    return event


def event_send_again(*, actor: Actor, event: OutboxEvent, request: HttpRequest | None = None) -> OutboxEvent:
    """Put an event the outbox gave up on back in line, with its tries counted from nought,
    and send it once this commits. The same event id goes again, so the HMS still drops a
    copy it already has. Raises NotGivenUp if it is not (or no longer) given up."""
    if not may_send_again(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = OutboxEvent.objects.select_for_update().get(pk=event.pk)
        if locked.state != OutboxEvent.State.DEAD:
            raise NotGivenUp
        tries = locked.attempts
        locked.state = OutboxEvent.State.WAITING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        # No subject: sending it again shows nobody's data to the person who asked.
        record(
            actor=actor,
            action="update",
            object_type=OUTBOX_EVENT,
            object_id=locked.uuid,
            reason=f"sent again after {tries} failed tries",
            request=request,
        )
        _send_after_commit(locked)
    return locked


def payload_read(*, actor: Actor, event: OutboxEvent, request: HttpRequest) -> None:
    """Record a look at what an event said: one row per person it is about (none named:
    one row with no subject, so the look is still on the record)."""
    record(
        actor=actor,
        action="view",
        object_type=OUTBOX_EVENT,
        object_id=event.uuid,
        subject_ids=event.subject_ids or [None],
        request=request,
    )


def _take_turn() -> None:
    """PostgreSQL: hold the outbox's one turn row until this transaction ends, so no event
    with a later position commits before this one (a reader collecting by position would
    pass over this one for good). SQLite has one writer at a time: nothing to wait for."""
    if not connection.features.has_select_for_update:
        return
    if EmitTurn.objects.select_for_update().filter(pk=1).first() is not None:
        return
    EmitTurn.objects.bulk_create([EmitTurn(pk=1)], ignore_conflicts=True)  # the first event ever
    EmitTurn.objects.select_for_update().get(pk=1)


def _plain_json(payload: Mapping[str, Any]) -> Any:
    """The payload as it will be sent: dates and times as ISO 8601 text, decimals and ids
    as text. Kept in this form, so what the staff page shows is exactly what went out."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _send_after_commit(event: OutboxEvent) -> None:
    """With no webhook set, events wait for the HMS to collect them (pull.events_after)."""
    if settings.OUTBOX_WEBHOOK_URL:
        transaction.on_commit(lambda: delivery.outbox_event_send.enqueue(event.pk))
