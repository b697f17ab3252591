"""Modules below the back office ask for a second person's approval through a port."""

from __future__ import annotations

import pytest

from porch.core import approvals
from porch.core.modules import ApprovalKind, ApprovalRefused

KIND = ApprovalKind("something", "Something", apply=lambda target, approver: None)


def test_without_the_engine_nothing_can_be_proposed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(approvals, "_engine", [])
    with pytest.raises(ApprovalRefused):
        approvals.change_propose(kind=KIND, target="x", before="a", after="b", reason="c")


def test_the_rollout_engine_is_provided_when_the_apps_load() -> None:
    from porch.rollout.approvals import change_propose

    assert approvals._engine == [change_propose]
