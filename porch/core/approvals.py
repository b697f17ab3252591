"""Asking a second person to approve a change: the port a module calls.

The engine is the back office's (porch.rollout.approvals), which a module may not import;
rollout provides it here when its app loads. Without it nothing can be proposed, so
nothing widens: the default refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
