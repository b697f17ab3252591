from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from porch.audit.chain import CHAINED_FIELDS, GENESIS, row_hash, unkeyed_row_hash
from porch.audit.models import AccessEvent, ChainHead


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def first_break() -> ChainBreak | None:
    """Walk the chain in order and return the first row that does not fit, if any.

    Rows up to AUDIT_CHAIN_UNKEYED_UP_TO were written before the chain was keyed and
    are checked with the plain hash; every later row must carry the keyed hash, so
    nobody without the key can rewrite the log as "old" rows."""
    unkeyed_up_to = settings.AUDIT_CHAIN_UNKEYED_UP_TO
    previous = GENESIS
    last_id = 0
    rows = _rows()
    for values in rows:
        last_id = values["id"]
        if values["previous_hash"] != previous:
            return ChainBreak(values["id"], "does not follow the row before it (a row was removed or reordered)")
        keyed = values["id"] > unkeyed_up_to
        expected = row_hash(previous, values) if keyed else unkeyed_row_hash(previous, values)
        if expected != values["row_hash"]:
            if keyed and unkeyed_row_hash(previous, values) == values["row_hash"]:
                return _unkeyed_rows_found(values["id"], rows)
            return ChainBreak(values["id"], "was changed after it was written")
        previous = values["row_hash"]
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainBreak(last_id, "is not the newest row the log expected (rows were removed from the end)")
    return None


def _rows() -> Iterator[dict[str, Any]]:
    fields = ("id", "previous_hash", "row_hash", *CHAINED_FIELDS)
    # The stubs cannot know the fields of values(*fields) when they are not literals.
    rows: Iterator[dict[str, Any]] = AccessEvent.objects.order_by("id").values(*fields).iterator(chunk_size=5000)
    return rows


def _unkeyed_rows_found(first_id: int, rest: Iterator[dict[str, Any]]) -> ChainBreak:
    """A row with the old, unkeyed hash where a keyed one was expected. After an upgrade
    that is expected for the rows written before it: say which setting to make."""
    last_unkeyed = first_id
    for values in rest:
        if unkeyed_row_hash(values["previous_hash"], values) != values["row_hash"]:
            break
        last_unkeyed = values["id"]
    return ChainBreak(
        first_id,
        "carries the unkeyed hash of rows written before the chain was keyed. If this installation "
        f"was upgraded, check when event {last_unkeyed} was written and, if it came before the upgrade, "
        f"set AUDIT_CHAIN_UNKEYED_UP_TO={last_unkeyed}; otherwise the log has been rewritten without the key",
    )
