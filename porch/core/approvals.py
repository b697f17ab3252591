"""Asking a second person to approve a change: the port a module calls.

The engine is the back office's (porch.rollout.approvals), which a module may not import;
rollout provides it here when its app loads. Without it nothing can be proposed, so
nothing widens: the default refuses."""

from __future__ import annotations

import dataclasses
import datetime
import typing
import uuid
from collections.abc import Callable
from typing import Any, Self

from porch.core.modules import ApprovalKind, ApprovalRefused

Proposer = Callable[..., Any]
_engine: list[Proposer] = []


def provide(engine: Proposer) -> None:
    _engine[:] = [engine]


def change_propose(*, kind: ApprovalKind, target: object, before: str, after: str, reason: str, **context: Any) -> Any:
    """Save a change as a proposal a second person must approve (actor= and request= as context)."""
    if not _engine:
        raise ApprovalRefused("Changes that need a second person's approval cannot be made here.")
    return _engine[0](kind=kind, target=target, before=before, after=after, reason=reason, **context)


@dataclasses.dataclass(frozen=True)
class Target:
    """A proposal's target, typed. Subclasses are frozen dataclasses; the target is written as
    their fields joined by ":" in the order declared (an empty last field left off) and read
    back by each field's type, so it is written and read in one place, never split by hand."""

    @classmethod
    def parse(cls, text: str) -> Self:
        hints = typing.get_type_hints(cls)
        names = [field.name for field in dataclasses.fields(cls)]
        parts = text.split(":", len(names) - 1)
        make: Callable[..., Self] = cls
        return make(*(_read(hints[name], part) for name, part in zip(names, parts, strict=False)))

    def __str__(self) -> str:
        values = [getattr(self, field.name) for field in dataclasses.fields(self)]
        while values and values[-1] is None:
            values.pop()
        return ":".join(str(value) for value in values)


def _read(kind: Any, text: str) -> object:
    """One field from its text, by its declared type (X | None reads as X)."""
    options = [option for option in typing.get_args(kind) if option is not type(None)] or [kind]
    kind = options[0]
    if kind is uuid.UUID:
        return uuid.UUID(text)
    if kind is datetime.date:
        return datetime.date.fromisoformat(text)
    if kind is int:
        return int(text)
    return text
