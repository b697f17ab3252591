"""Loading rows of one entity, a chunk at a time: read each value, plan against what is
already here (a few queries a chunk, never one a row), then write the chunk in bulk.

Each row is all or nothing. A chunk is written inside a savepoint; if the database refuses
it, the savepoint is undone and its rows are written one at a time, each in its own, so a
bad row is refused alone and never half-applied, and the good rows around it still go in.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from django.db import DatabaseError, transaction
from django.utils import timezone

from porch.core.actor import Actor
from porch.feed.columns import BadValue, Layout
from porch.feed.reading import Row

CREATED, CHANGED, UNCHANGED, REFUSED, HELD = "created", "changed", "unchanged", "refused", "held"
# The database refused a row that looked right: said for the person who reads the report.
CLASH = (
    "The database refused this row: it clashes with a record already here (for example a UPRN or "
    "reference that belongs to another record). Check it against the housing system."
)


@dataclass
class Outcome:
    """What became of one row (or, in a preview, would)."""

    line: int
    result: str
    field: str = ""
    why: str = ""
    note: str = ""  # for the preview's list: the reference and what changes, never a value
    ends_tenancy: bool = False
    moves_person: bool = False


@dataclass
class Parsed:
    line: int
    key: str
    values: dict[str, Any]  # only the columns the file has: a column it lacks is left as it is


@dataclass
class Plan:
    """A row ready to write: the entity's writer reads what it needs from `values` and
    `record` (the row already here, changed in memory), and `outcome` is what it did."""

    parsed: Parsed
    outcome: Outcome
    record: Any = None
    changed: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Run:
    """One pass over a batch (its preview, or applying it): who it acts as, the rows the check
    found repeating an earlier row's reference (each refused, whichever chunk or run meets it),
    and what the pass remembers from row to row."""

    batch_id: int
    actor: Actor
    dry_run: bool
    today: datetime.date = field(default_factory=timezone.localdate)
    repeats: dict[int, int] = field(default_factory=dict)  # line: the earlier line with its reference
    memo: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def remembered(self, name: str) -> dict[Any, Any]:
        return self.memo.setdefault(name, {})


class Entity(Protocol):
    layout: ClassVar[Layout]

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        """Each row's plan against what is here now, or its refusal. A few queries a chunk."""
        ...

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        """Write the planned rows in bulk, with their audit rows and what follows from them
        (sessions ended, people told). Raises DatabaseError if the database refuses any.
        Never called in a preview."""
        ...


def load(run: Run, entity: Entity, rows: Sequence[Row]) -> list[Outcome]:
    """Every row's outcome, in line order; the good ones written (in the caller's transaction)."""
    parsed: list[Parsed] = []
    outcomes: list[Outcome] = []
    for row in rows:
        read = _read(run, entity.layout, row)
        (parsed if isinstance(read, Parsed) else outcomes).append(read)  # type: ignore[arg-type]
    plans: list[Plan] = []
    for planned in entity.plan(run, parsed):
        (plans if isinstance(planned, Plan) else outcomes).append(planned)  # type: ignore[arg-type]
    if run.dry_run:
        outcomes += [plan.outcome for plan in plans]  # a preview plans; it writes nothing
    else:
        outcomes += _write(run, entity, [plan for plan in plans if plan.outcome.result != UNCHANGED])
        outcomes += [plan.outcome for plan in plans if plan.outcome.result == UNCHANGED]
    return sorted(outcomes, key=lambda outcome: outcome.line)


def _read(run: Run, layout: Layout, row: Row) -> Parsed | Outcome:
    values: dict[str, Any] = {}
    for column in layout.columns:
        if column.name not in row.values and not column.required:
            continue
        try:
            values[column.name] = column.value(row.values.get(column.name))
        except BadValue as bad:
            return Outcome(row.line, REFUSED, field=column.name, why=str(bad))
    if row.line in run.repeats:
        why = f"This reference is also on line {run.repeats[row.line]}: once a file."
        return Outcome(row.line, REFUSED, field=layout.key, why=why)
    return Parsed(row.line, values[layout.key], values)


def _write(run: Run, entity: Entity, plans: list[Plan]) -> list[Outcome]:
    if not plans:
        return []
    try:
        with transaction.atomic():
            entity.write(run, plans)
    except DatabaseError:
        if len(plans) == 1:
            return [Outcome(plans[0].parsed.line, REFUSED, why=CLASH)]
        return [outcome for plan in plans for outcome in _write(run, entity, [plan])]
    return [plan.outcome for plan in plans]


def refuse(row: Parsed, column: str, why: str) -> Outcome:
    return Outcome(row.line, REFUSED, field=column, why=why)


def differences(record: Any, wanted: dict[str, Any]) -> tuple[str, ...]:
    """The fields of record that differ from wanted (an empty value is "" where the field keeps no null),
    set on the record in memory: the writer saves just those."""
    changed = []
    for name, value in wanted.items():
        current = getattr(record, name)
        if value is None and not record._meta.get_field(name).null:
            value = ""
        if current != value:
            setattr(record, name, value)
            changed.append(name)
    return tuple(changed)


def given(row: Parsed, mapping: dict[str, str]) -> dict[str, Any]:
    """The model's fields from the columns the file has ({column: field})."""
    return {model_field: row.values[column] for column, model_field in mapping.items() if column in row.values}
