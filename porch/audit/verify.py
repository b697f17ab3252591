from __future__ import annotations

from dataclasses import dataclass

from porch.audit.chain import CHAINED_FIELDS, GENESIS, row_hash
from porch.audit.models import AccessEvent, ChainHead


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def first_break() -> ChainBreak | None:
    """Walk the chain in order and return the first row that does not fit, if any."""
    previous = GENESIS
    last_id = 0
    fields = ("id", "previous_hash", "row_hash", *CHAINED_FIELDS)
    for values in AccessEvent.objects.order_by("id").values(*fields).iterator(chunk_size=5000):
        last_id = values["id"]
        if values["previous_hash"] != previous:
            return ChainBreak(values["id"], "does not follow the row before it (a row was removed or reordered)")
        if row_hash(previous, values) != values["row_hash"]:
            return ChainBreak(values["id"], "was changed after it was written")
        previous = values["row_hash"]
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainBreak(last_id, "is not the newest row the log expected (rows were removed from the end)")
    return None
