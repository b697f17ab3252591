"""Appending rows to the audit log's hash chains without a lock every request waits on.

The log is several chains (AUDIT_CHAINS of them), each a list of rows where every row
carries the hash of the one before it in its chain and its place in the chain (seq). The
database allows each (chain, seq) once, so no chain can ever fork, whatever a writer does.

On PostgreSQL a writer locks whichever chain is free (one of many rows, never one row
every request waits on) and appends to it. On SQLite, which has one writer at a time
anyway, a writer appends with a single INSERT naming the newest hash it knows, and tries
again if the constraint refuses it. See ADRs 0013 and 0018.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, When

from porch.audit.chain import GENESIS, row_hash
from porch.audit.models import AccessEvent, Chain
from porch.core import rls
from porch.core.bulk import objects_insert

# Enough to ride out a burst of writers meeting on the same chains; each miss moves on.
ATTEMPTS = 20


class End(NamedTuple):
    """Where a chain ends: its newest row's place and hash (0 and GENESIS while it is empty)."""

    seq: int
    row_hash: str


class _Place(threading.local):
    """The chain this thread appends to and where this thread last left it (None: read it
    from the database first). Kept per thread: each thread is one writer."""

    chain: int = 0
    newest: End | None = None


_place = _Place()


class AppendFailed(RuntimeError):
    """Every attempt met another writer (SQLite): nothing was written, and the request fails."""


def append(rows: Sequence[dict[str, Any]]) -> None:
    """Write the rows to one chain, in order, as one INSERT."""
    if not rows:
        return
    if connection.features.has_select_for_update_skip_locked:
        _append_to_a_free_chain(rows)
    else:
        _append_optimistically(rows)


def _append_to_a_free_chain(rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL: many writers at once. Lock a chain nobody else is appending to (the one
    this thread used last if it is free), then append to where it ends and keep the new end
    on the chain's row. A writer never waits for another, so none can be starved, however
    many there are."""
    try:
        _append_to_a_locked_chain(rows, trusting_its_row=True)
    except IntegrityError:
        # The chain's row was behind its rows: a writer that does not keep it appended (an
        # older release, during a deploy). Where the chain ends is read from the rows instead.
        _append_to_a_locked_chain(rows, trusting_its_row=False)


def _append_to_a_locked_chain(rows: Sequence[dict[str, Any]], *, trusting_its_row: bool) -> None:
    with transaction.atomic():
        chain = _lock_a_chain()
        _place.chain = chain.id
        if trusting_its_row and chain.seq is not None:
            end = End(chain.seq, chain.row_hash)
        else:
            end = _end_read_from_the_rows(chain.id)
        events = _chained(rows, chain.id, end)
        # By COPY when there are many (a feed's chunk): the INSERT of thousands was most of a
        # full load. Never read back: behind the database wall the rows are about other people.
        objects_insert(AccessEvent, events)
        Chain.objects.filter(id=chain.id).update(seq=events[-1].seq, row_hash=events[-1].row_hash)


def _end_read_from_the_rows(chain: int) -> End:
    """Where the chain's row does not keep its end yet (a chain made now, or one from before it
    did) or is behind its rows. Behind the database wall the rows are about other people, so
    the system reads them."""
    with rls.as_system(connection):
        return where_it_ends(chain)


def _lock_a_chain() -> Chain:
    preferred = _place.chain or random.randint(1, chains())  # noqa: S311 - spreading writers, not a secret
    free = (
        Chain.objects.select_for_update(skip_locked=True)
        .filter(id__lte=chains())
        .order_by(Case(When(id=preferred, then=0), default=1), "id")
        .first()
    )
    if free is not None:
        return free
    # None free: the rows are not made yet (or AUDIT_CHAINS has grown), or every chain is busy.
    Chain.objects.bulk_create([Chain(id=n) for n in range(1, chains() + 1)], ignore_conflicts=True)
    return Chain.objects.select_for_update().get(id=min(preferred, chains()))


def _append_optimistically(rows: Sequence[dict[str, Any]]) -> None:
    """SQLite: one writer at a time anyway. Append after the end of the chain this thread
    knows; if another writer got there first, the unique constraint refuses it, and this
    thread reads where the chain ends now and tries again."""
    for _ in range(ATTEMPTS):
        chain, end = _start()
        events = _chained(rows, chain, end)
        try:
            _insert(events)
        except IntegrityError:
            _move()  # another writer took this place in the chain: go elsewhere
            continue
        _remember(chain, End(events[-1].seq, events[-1].row_hash))
        return
    raise AppendFailed("could not append to any audit chain")


def forget() -> None:
    """Forget this thread's place (after the database it pointed into was emptied)."""
    _place.chain, _place.newest = 0, None


def _start() -> tuple[int, End]:
    if not _place.chain:
        _place.chain = random.randint(1, chains())  # noqa: S311 - spreading writers, not a secret
    # Inside a transaction the newest row this thread wrote may yet be rolled back:
    # the database, not memory, says where the chain ends.
    if _place.newest is None or connection.in_atomic_block:
        return _place.chain, where_it_ends(_place.chain)
    return _place.chain, _place.newest


def _chained(rows: Sequence[dict[str, Any]], chain: int, end: End) -> list[AccessEvent]:
    events = []
    seq, previous = end
    for values in rows:
        seq += 1
        digest = row_hash(previous, values)
        events.append(AccessEvent(**values, chain=chain, seq=seq, previous_hash=previous, row_hash=digest))
        previous = digest
    return events


def _insert(events: list[AccessEvent]) -> None:
    if connection.in_atomic_block:
        # A refused INSERT is undone on its own, leaving the caller's transaction as it was.
        with transaction.atomic(savepoint=True):
            AccessEvent.objects.bulk_create(events)
    else:
        AccessEvent.objects.bulk_create(events)


def _remember(chain: int, newest: End) -> None:
    if connection.in_atomic_block:
        # Only once the rows are committed is this where the chain ends.
        _place.newest = None
        transaction.on_commit(lambda: _commit_place(chain, newest))
    else:
        _place.newest = newest


def _commit_place(chain: int, newest: End) -> None:
    if _place.chain == chain:
        _place.newest = newest


def _move() -> None:
    _place.chain = random.randint(1, chains())  # noqa: S311 - spreading writers, not a secret
    _place.newest = None


def chains() -> int:
    return max(1, int(settings.AUDIT_CHAINS))


def where_it_ends(chain: int) -> End:
    """The chain's newest row: one step down the (chain, seq) index."""
    newest = AccessEvent.objects.filter(chain=chain).order_by("-seq").values_list("seq", "row_hash").first()
    return End(*newest) if newest else End(0, GENESIS)
