"""What system administrators do with connections (add, change, rotate the secret, switch
off) and what a connection does (send a batch), each atomic and audited."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.feed.effects import feed_actor
from porch.feed.models import FeedBatch
from porch.feed.services import batch_receive
from porch.integrations import access, keys
from porch.integrations.kinds import CONNECTION
from porch.integrations.models import Connection, ConnectionBatch
from porch.integrations.scopes import OUTBOX, scope_words
from porch.outbox.kinds import OUTBOX_EVENT
from porch.outbox.models import OutboxEvent
from porch.outbox.pull import events_after
from porch.outbox.services import events_collected

Row = dict[str, str | None]


class NameTaken(Exception):
    """Another connection has this name."""


class CannotChange(Exception):
    """Said to the system administrator, in plain English."""


class KeyReused(Exception):
    """A batch_key the connection already sent with other rows, or for another entity."""


@dataclass(frozen=True)
class Added:
    connection: Connection
    # The secret, to show once; empty when this form had already added the connection (a
    # double submit): its secret was shown then and is not shown again.
    secret: str


def connection_add(
    *,
    actor: Actor,
    name: str,
    scopes: Sequence[str],
    networks: Sequence[str],
    apply_when_previewed: bool,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> Added:
    if actor.user_id is None:
        raise PermissionDenied  # a system administrator adds connections, never the system itself
    earlier = Connection.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is not None:
        return Added(earlier, "")
    code = uuid.uuid4()
    secret = keys.secret_for(code, 1)
    connection = Connection(
        uuid=code,
        name=name.strip(),
        scopes=sorted(scopes),
        allowed_networks=list(networks),
        apply_when_previewed=apply_when_previewed,
        secret_hash=keys.secret_hash(secret),
        idempotency_key=idempotency_key,
        created_by_id=actor.user_id,
    )
    try:
        with transaction.atomic():
            connection.save()
            _audit(actor, connection, "create", "added: " + settings_words(connection), request)
    except IntegrityError:
        twin = Connection.objects.filter(idempotency_key=idempotency_key).first()
        if twin is None:
            raise NameTaken from None
        return Added(twin, "")
    return Added(connection, secret)


def connection_change(
    *,
    actor: Actor,
    connection: Connection,
    scopes: Sequence[str],
    networks: Sequence[str],
    apply_when_previewed: bool,
    request: HttpRequest | None = None,
) -> None:
    with transaction.atomic():
        locked = _locked_active(connection)
        before = settings_words(locked)
        locked.scopes = sorted(scopes)
        locked.allowed_networks = list(networks)
        locked.apply_when_previewed = apply_when_previewed
        locked.save(update_fields=["scopes", "allowed_networks", "apply_when_previewed"])
        after = settings_words(locked)
        if after != before:
            _audit(actor, locked, "update", f"changed. Before: {before}. Now: {after}", request)


def connection_rotate(*, actor: Actor, connection: Connection, version: int, request: HttpRequest | None = None) -> str:
    """A new secret, to show once; the old one stops working at once. Empty when the secret of
    this version was already rotated (a double submit): the new one was shown then."""
    with transaction.atomic():
        locked = _locked_active(connection)
        if locked.key_version != version:
            return ""
        locked.key_version += 1
        secret = keys.secret_for(locked.uuid, locked.key_version)
        locked.secret_hash = keys.secret_hash(secret)
        locked.save(update_fields=["key_version", "secret_hash"])
        _audit(actor, locked, "update", f"secret rotated: key version {locked.key_version}", request)
    connection.refresh_from_db()
    return secret


def connection_switch_off(*, actor: Actor, connection: Connection, request: HttpRequest | None = None) -> bool:
    """Refuses every request from now on, for good. False if it was already off."""
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if not locked.active:
            return False
        locked.active = False
        locked.switched_off_at = timezone.now()
        locked.save(update_fields=["active", "switched_off_at"])
        _audit(actor, locked, "update", "switched off", request)
    return True


def _locked_active(connection: Connection) -> Connection:
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if not locked.active:
        raise CannotChange("This connection is switched off. It cannot be changed or used again: add a new one.")
    return locked


def settings_words(connection: Connection) -> str:
    """What a connection may do, in words for the audit log: never its secret."""
    may = ", ".join(scope_words(connection.scopes)) or "nothing"
    networks = ", ".join(connection.allowed_networks) or "no address"
    applies = "applies" if connection.apply_when_previewed else "does not apply"
    return f"may {may}; from {networks}; {applies} its batches once previewed"


def _audit(actor: Actor, connection: Connection, action: str, reason: str, request: HttpRequest | None) -> None:
    record(
        actor=actor, action=action, object_type=CONNECTION, object_id=connection.uuid, reason=reason, request=request
    )


# --- What a connection does ---------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    sent: ConnectionBatch
    new: bool  # made by this request (202), or the batch this key already made (200)


def batch_submit(
    *, connection: Connection, entity: str, batch_key: str, rows: Sequence[Row], request: HttpRequest | None = None
) -> Submitted:
    """Keep the rows as a JSON lines file and queue its check and preview (porch.feed). The same
    batch_key again is the batch it made; with other rows, or for another entity, it is refused."""
    content = json_lines(rows)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        earlier = access.sent_batch(connection, batch_key)
        if earlier is not None:
            return Submitted(_same(earlier, entity, digest), new=False)
        batch = batch_receive(
            entity=entity,
            fmt=FeedBatch.Format.JSONL,
            filename=f"{batch_key}.jsonl",
            stream=io.BytesIO(content),
            source=FeedBatch.Source.API,
            sent_by_system=connection.name,
            key=f"api:{connection.uuid}:{batch_key}",
            apply_when_previewed=connection.apply_when_previewed,
        )
        try:
            with transaction.atomic():
                sent = ConnectionBatch.objects.create(connection=connection, batch=batch, batch_key=batch_key)
        except IntegrityError:
            twin = access.sent_batch(connection, batch_key)  # the same request, sent twice at once
            if twin is None:
                raise
            return Submitted(_same(twin, entity, digest), new=False)
        reason = f"sent batch {batch.uuid}: {len(rows)} {entity} rows, batch key {batch_key}"
        _audit(feed_actor(None), connection, "create", reason, request)
    return Submitted(sent, new=True)


def _same(sent: ConnectionBatch, entity: str, digest: str) -> ConnectionBatch:
    if sent.batch.entity != entity or sent.batch.sha256 != digest:
        raise KeyReused(
            f"This batch_key was already used for another batch ({sent.batch.entity}, {sent.batch.uuid}). "
            "Send new rows with a new batch_key; send the same rows again with the same one."
        )
    return sent


def json_lines(rows: Sequence[Row]) -> bytes:
    """One JSON object a line, as the feed reads a JSON lines file; the same rows give the same bytes."""
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows).encode()


def connection_used(connection: Connection) -> None:
    """Note when it was last used, at most once a minute (one write, not one a request)."""
    now = timezone.now()
    stale = now - datetime.timedelta(minutes=1)
    Connection.objects.filter(pk=connection.pk).exclude(last_used_at__gt=stale).update(last_used_at=now)


def outbox_collect(*, connection: Connection, after: int, limit: int) -> list[OutboxEvent]:
    """The outbox's events after a position, for the connection to collect."""
    return events_after(after, limit)


def outbox_collected(*, connection: Connection, events: list[OutboxEvent], request: HttpRequest | None) -> None:
    """Record the connection's look at what the events it was handed say: one row per person
    each is about, as the feed's (the reason names the connection), and how far it has got."""
    if not events:
        return
    seen = [Seen(event.uuid, event.subject_ids or [None], reason=f"collected by {connection.name}") for event in events]
    record_many(actor=feed_actor(None), action="view", object_type=OUTBOX_EVENT, seen=seen, request=request)
    events_collected(events)
    furthest = max(event.id for event in events)
    Connection.objects.filter(pk=connection.pk, outbox_collected_to__lt=furthest).update(outbox_collected_to=furthest)


def outbox_collected_by_all() -> int | None:
    """The furthest outbox position every switched-on connection with the outbox scope has
    been handed (0 if one has collected nothing yet); None when no connection reads the
    outbox. A switched-off connection never collects again, so it holds nothing back."""
    readers = [c.outbox_collected_to for c in Connection.objects.filter(active=True) if OUTBOX in c.scopes]
    return min(readers, default=None)
