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


def test_a_target_is_written_and_read_back_by_its_field_types() -> None:
    import datetime
    import uuid

    from porch.rollout.launch import CohortModuleTarget
    from porch.rollout.staff_accounts import RoleTarget, TrainingTarget
    from porch.rollout.switches import SwitchTarget

    code = uuid.UUID("12345678-1234-5678-1234-567812345678")
    written = {
        SwitchTarget("documents"): "documents",  # for everyone: the empty cohort is left off
        SwitchTarget("documents", code): f"documents:{code}",
        CohortModuleTarget(code, "notices"): f"{code}:notices",
        RoleTarget(code, "dpo"): f"{code}:dpo",
        TrainingTarget(code, datetime.date(2026, 3, 27)): f"{code}:2026-03-27",
    }
    for target, text in written.items():
        assert str(target) == text  # as proposals made before targets were typed were written
        assert type(target).parse(text) == target
