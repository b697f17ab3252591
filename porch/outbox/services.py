"""Writing to the outbox: a module emits an event with the change it tells of; staff send a
given-up event again; the DPO's look at what an event said is recorded; events the housing
system collected are marked so; events it has had for long enough are removed."""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core import rls
from porch.core.actor import Actor
from porch.outbox import delivery
from porch.outbox.access import may_send_again
from porch.outbox.kinds import OUTBOX_EVENT
from porch.outbox.models import EmitTurn, OutboxEvent

logger = logging.getLogger(__name__)

# Removing old events is the portal's own doing: its audit row names no person.
SYSTEM = Actor(kind="system")
# How many events one statement removes: short transactions, so emitters never wait long.
PRUNE_BATCH = 1000

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
    # Written by the system, whoever's change it tells of: behind the database wall (ADR 0032)
    # events are staff-only rows, and a resident's request could not read back its own.
    with rls.as_system(connection):
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


def events_collected(events: Sequence[OutboxEvent]) -> int:
    """With no webhook set, the housing system collecting an event is its delivery: mark the
    ones collected for the first time delivered, now. The staff page's waiting count is then
    what is left to collect, and an event's days before removal count from its collection.
    With a webhook set, only a 2xx to its post delivers it. Returns how many were marked."""
    if settings.OUTBOX_WEBHOOK_URL or not events:
        return 0
    return OutboxEvent.objects.filter(id__in=[event.id for event in events], state=OutboxEvent.State.WAITING).update(
        state=OutboxEvent.State.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None
    )


@dataclass(frozen=True)
class Pruned:
    removed: int
    # Delivered long enough ago, but kept because a connection collecting by position has not
    # collected them yet.
    kept_for_collectors: int
    before: datetime.datetime


def events_prune(
    *, keep_days: int, collected_by_all: int | None, batch: int = PRUNE_BATCH, now: datetime.datetime | None = None
) -> Pruned:
    """Remove the events delivered (or, with no webhook, collected) more than keep_days ago, a
    batch at a time; never one waiting or given up on. `collected_by_all` is the furthest
    position every connection collecting by position has collected (None: nothing collects):
    nothing after it is removed, so no collector finds an event gone before it collected it.
    The removal is recorded and logged as counts: no reference, no payload."""
    before = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    old = OutboxEvent.objects.filter(state=OutboxEvent.State.DELIVERED, delivered_at__lt=before)
    removable = old if collected_by_all is None else old.filter(id__lte=collected_by_all)
    removed, last = 0, 0
    while ids := _first_ids(removable, batch):
        with transaction.atomic():
            removed += OutboxEvent.objects.filter(id__in=ids).delete()[0]
        last = ids[-1]
    kept = 0 if collected_by_all is None else old.filter(id__gt=collected_by_all).count()
    pruned = Pruned(removed=removed, kept_for_collectors=kept, before=before)
    _prune_recorded(pruned, last)
    return pruned


def _first_ids(events: QuerySet[OutboxEvent], batch: int) -> list[int]:
    return list(events.order_by("id").values_list("id", flat=True)[:batch])


def _prune_recorded(pruned: Pruned, last: int) -> None:
    when = pruned.before.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    words = f"removed {pruned.removed} updates delivered or collected before {when}"
    if pruned.removed:
        words += f" (positions up to {last})"
    if pruned.kept_for_collectors:
        words += f"; kept {pruned.kept_for_collectors} a connection has not collected yet"
    logger.info("Outbox: %s.", words)
    if pruned.removed:
        record(actor=SYSTEM, action="update", object_type=OUTBOX_EVENT, reason=words)


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
