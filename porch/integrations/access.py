"""The one way in to connections and to the batches a connection sent.

Staff: system administrators manage connections, the Data Protection Officer reads them;
anyone else gets 404 for a connection page (not visible). A connection (a signed request)
reads only the batches it sent itself: any other batch, or a forged id, is not there."""

from __future__ import annotations

import contextlib
from uuid import UUID

from django.http import Http404

from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.feed.models import FeedBatch, FeedProblem
from porch.integrations.models import Connection, ConnectionBatch


class NotPermitted(Exception):
    """Visible but not this action: 403."""


def connections_for(actor: Actor) -> list[Connection]:
    return list(Connection.objects.visible_to(actor).select_related("created_by"))


def get_connection_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Connection:
    """A connection the actor may see (404 otherwise); to change it, a system administrator (403 otherwise)."""
    connection = Connection.objects.visible_to(actor).select_related("created_by").filter(uuid=code).first()
    if connection is None:
        raise Http404
    if action != Action.VIEW and not actor.has_role(StaffRole.SYSADMIN):
        raise NotPermitted
    return connection


def name_taken(name: str, *, but_for: str = "") -> bool:
    """Names are unique among every connection, switched off or not: a batch names its sender.
    `but_for`: the idempotency key of the form asking, whose own connection does not count."""
    taken = Connection.objects.filter(name__iexact=name.strip())
    with contextlib.suppress(ValueError):  # no key, or not one: every connection counts
        taken = taken.exclude(idempotency_key=UUID(but_for))
    return taken.exists()


def connection_signing(code: str) -> Connection | None:
    """The active connection a signed request names, or None (unknown, switched off, or not a uuid)."""
    try:
        uuid = UUID(code)
    except ValueError:
        return None
    return Connection.objects.filter(uuid=uuid, active=True).first()


def sent_batch(connection: Connection, batch_key: str) -> ConnectionBatch | None:
    return ConnectionBatch.objects.select_related("batch").filter(connection=connection, batch_key=batch_key).first()


def get_batch_for_connection(connection: Connection, code: UUID) -> ConnectionBatch:
    """A batch this connection sent; another connection's batch, a staff upload or a forged id: 404."""
    sent = ConnectionBatch.objects.select_related("batch").filter(connection=connection, batch__uuid=code).first()
    if sent is None:
        raise Http404
    return sent


def recent_batches(connection: Connection, limit: int) -> list[ConnectionBatch]:
    """The batches a connection sent, newest first, for its page (references and counts only)."""
    return list(ConnectionBatch.objects.filter(connection=connection).select_related("batch").order_by("-id")[:limit])


def problems_of(batch: FeedBatch, *, stage: str, after_line: int, limit: int) -> list[FeedProblem]:
    """One page of a batch's problems at one stage, in line order, after a line."""
    found = FeedProblem.objects.filter(batch=batch, stage=stage, line__gt=after_line).order_by("line", "id")
    return list(found[:limit])
