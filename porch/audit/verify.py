from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from porch.audit.anchors import anchor_problem, missing_heads
from porch.audit.chain import CHAINED_FIELDS, GENESIS, row_hash, unkeyed_row_hash
from porch.audit.models import AccessEvent, Anchor
from porch.audit.services import by_subject


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None  # None: an anchor, not a row, does not hold
    problem: str

    def __str__(self) -> str:
        if self.event_id is None:
            return f"Audit log broken: {self.problem}."
        return f"Audit log broken at event {self.event_id}: it {self.problem}."


def first_break() -> ChainBreak | None:
    """Walk every chain in one pass, in the order rows were written, and return the first
    row that does not fit, if any; then check the anchors (porch.audit.anchors).

    Within a chain, rows are written one after another, so id order is chain order. Rows up
    to AUDIT_CHAIN_UNKEYED_UP_TO were written before the chain was keyed and are checked with
    the plain hash; every later row must carry the keyed hash, so nobody without the key can
    rewrite the log as "old" rows."""
    unkeyed_up_to = settings.AUDIT_CHAIN_UNKEYED_UP_TO
    newest: dict[int, str] = {}
    person_of = _person_of_each_user()
    rows = _rows()
    for values in rows:
        previous = newest.get(values["chain"], GENESIS)
        if values["previous_hash"] != previous:
            return ChainBreak(values["id"], "does not follow the row before it (a row was removed or reordered)")
        keyed = values["id"] > unkeyed_up_to
        expected = row_hash(previous, values) if keyed else unkeyed_row_hash(previous, values)
        if expected != values["row_hash"]:
            if keyed and unkeyed_row_hash(previous, values) == values["row_hash"]:
                return _unkeyed_rows_found(values["id"], rows)
            return ChainBreak(values["id"], "was changed after it was written")
        if not _by_subject_holds(values, person_of):
            return ChainBreak(values["id"], "was changed after it was written (whether the person did it themselves)")
        newest[values["chain"]] = values["row_hash"]
    return _anchors_break()


def _by_subject_holds(values: dict[str, Any], person_of: dict[int, int]) -> bool:
    def holds() -> bool:
        actor_person = person_of.get(values["actor_id"])
        return bool(values["by_subject"]) == by_subject(actor_person, values["on_behalf_of_id"], values["subject_id"])

    if holds():
        return True
    person_of.update(_person_of_each_user())  # an account made since the walk began
    return holds()


def _person_of_each_user() -> dict[int, int]:
    """Residents' accounts and their housing records, to check each row's by_subject."""
    return dict(get_user_model().objects.filter(person__isnull=False).values_list("id", "person_id"))


def _anchors_break() -> ChainBreak | None:
    previous_seal = GENESIS
    last = None
    for anchor in Anchor.objects.order_by("id").iterator(chunk_size=5000):
        problem = anchor_problem(anchor, previous_seal)
        if problem:
            return ChainBreak(None, f"anchor {anchor.pk} {problem}")
        previous_seal, last = anchor.seal, anchor
    missing = missing_heads(last) if last is not None else []
    if last is not None and missing:
        chains = ", ".join(missing)
        return ChainBreak(
            None, f"anchor {last.pk} names rows no longer in chain {chains} (rows were removed from its end)"
        )
    return None


def _rows() -> Iterator[dict[str, Any]]:
    fields = ("id", "chain", "previous_hash", "row_hash", "by_subject", *CHAINED_FIELDS)
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
