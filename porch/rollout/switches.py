"""Switches: which modules are off, as every server sees it, and throwing them.

Read from the shared database, and remembered in this process for at most
SWITCH_MEMORY_SECONDS, so a switch thrown on any server takes effect on every
server within one second (tests/test_kill_switch_processes.py proves it).
Switching off is one person's call; switching back on waits for a second person."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core import rls
from porch.core.actor import Actor
from porch.core.approvals import Target
from porch.core.modules import ApprovalKind
from porch.rollout.approvals import proposals_withdraw
from porch.rollout.models import Cohort, ModuleSwitch

SWITCH_MEMORY_SECONDS = 0.5

_lock = threading.Lock()
# Not 0.0: the monotonic clock counts from the machine's start, so on a machine up for less
# than SWITCH_MEMORY_SECONDS "nothing remembered yet" would read as "nothing is off".
NEVER = float("-inf")
_remembered: tuple[float, frozenset[tuple[str, int | None]]] = (NEVER, frozenset())


def modules_off() -> frozenset[tuple[str, int | None]]:
    """(module, cohort id) for every switch that is off; cohort None means everyone."""
    global _remembered
    now = time.monotonic()
    read_at, off = _remembered
    if now - read_at < SWITCH_MEMORY_SECONDS:
        return off
    # The system's: every request reads the switches, a resident's too, behind the database
    # wall's staff-only tables (ADR 0032). Only which modules are off is read.
    with rls.as_system(connection):
        off = frozenset(ModuleSwitch.objects.filter(is_off=True).values_list("module", "cohort_id"))
    with _lock:
        _remembered = (now, off)
    return off


def forget() -> None:
    """Drop what this process remembers (after throwing a switch here, and in tests)."""
    global _remembered
    with _lock:
        _remembered = (NEVER, frozenset())


@dataclass(frozen=True)
class SwitchTarget(Target):
    """A switch: a module, for everyone (no cohort) or for one cohort."""

    module: str
    cohort: uuid.UUID | None = None

    @classmethod
    def of(cls, module: str, cohort: Cohort | None) -> SwitchTarget:
        return cls(module, cohort.uuid if cohort else None)


def module_switch_off(
    *, actor: Actor, module: str, reason: str, cohort: Cohort | None = None, request: HttpRequest | None = None
) -> None:
    """Take a module (or the whole portal) away from residents now, for everyone or one cohort.
    Needs no second person."""
    with transaction.atomic():
        ModuleSwitch.objects.update_or_create(
            module=module,
            cohort=cohort,
            defaults={"is_off": True, "reason": reason, "changed_by_id": actor.user_id, "changed_at": timezone.now()},
        )
        record(
            actor=actor,
            action="update",
            object_type="module_switch",
            object_id=module,
            reason=f"off for {cohort or 'everyone'}: {reason}"[:500],
            request=request,
        )
        proposals_withdraw(kind=SWITCH_ON, target=SwitchTarget.of(module, cohort))
    forget()


def switch_on_apply(target: str, approver: Actor) -> None:
    """An approved proposal to switch a module back on."""
    switch = SwitchTarget.parse(target)
    scope = Q(cohort__uuid=switch.cohort) if switch.cohort else Q(cohort__isnull=True)
    ModuleSwitch.objects.filter(scope, module=switch.module).update(
        is_off=False, reason="", changed_by_id=approver.user_id, changed_at=timezone.now()
    )
    # Forget now (this transaction reads its own change) and again once it commits, so no
    # request in this process can remember the switch as off in between.
    forget()
    transaction.on_commit(forget)


SWITCH_ON = ApprovalKind("switch_on", "Switch a module back on", apply=switch_on_apply)
