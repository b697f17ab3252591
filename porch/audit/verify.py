from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from porch.audit.anchors import anchor_problem
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
    rewrite the log as "old" rows.

    The newest anchor is read before the walk, so every row it names was written before the
    walk began and must be met on the way. Checking that one anchor is enough: in a chain that
    verifies, every row an older anchor named comes before the row it names."""
    unkeyed_up_to = settings.AUDIT_CHAIN_UNKEYED_UP_TO
    anchor = Anchor.objects.order_by("-id").first()
    anchored = {int(chain): head for chain, head in anchor.heads.items()} if anchor else {}
    newest: dict[int, tuple[int, str]] = {}
    person_of = _person_of_each_user()
    rows = _rows()
    for values in rows:
        seq, previous = newest.get(values["chain"], (0, GENESIS))
        if values["previous_hash"] != previous:
            return ChainBreak(values["id"], "does not follow the row before it (a row was removed or reordered)")
        if values["seq"] != seq + 1:
            return ChainBreak(values["id"], f"is numbered {values['seq']} where {seq + 1} was due in its chain")
        keyed = values["id"] > unkeyed_up_to
        expected = row_hash(previous, values) if keyed else unkeyed_row_hash(previous, values)
        if expected != values["row_hash"]:
            if keyed and unkeyed_row_hash(previous, values) == values["row_hash"]:
                return _unkeyed_rows_found(values["id"], rows)
            return ChainBreak(values["id"], "was changed after it was written")
        if not _by_subject_holds(values, person_of):
            return ChainBreak(values["id"], "was changed after it was written (whether the person did it themselves)")
        newest[values["chain"]] = (values["seq"], values["row_hash"])
        if anchored.get(values["chain"]) == values["row_hash"]:
            del anchored[values["chain"]]
    return _anchors_break(anchor, missing_chains=sorted(anchored))


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


def _anchors_break(newest: Anchor | None, missing_chains: list[int]) -> ChainBreak | None:
    """Every anchor follows the one before it and holds its seal; the newest one read before
    the walk names rows that are all still there (missing_chains: those that were not met)."""
    previous_seal = GENESIS
    for anchor in Anchor.objects.order_by("id").iterator(chunk_size=5000):
        problem = anchor_problem(anchor, previous_seal)
        if problem:
            return ChainBreak(None, f"anchor {anchor.pk} {problem}")
        previous_seal = anchor.seal
    if newest is not None and missing_chains:
        chains = ", ".join(str(chain) for chain in missing_chains)
        return ChainBreak(
            None, f"anchor {newest.pk} names rows no longer in chain {chains} (rows were removed from its end)"
        )
    return None


def _rows() -> Iterator[dict[str, Any]]:
    fields = ("id", "chain", "seq", "previous_hash", "row_hash", "by_subject", *CHAINED_FIELDS)
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
