"""Which modules are switched off, as every server sees it.

Read from the shared database, and remembered in this process for at most
SWITCH_MEMORY_SECONDS, so a switch thrown on any server takes effect on every
server within one second (tests/test_kill_switch_processes.py proves it)."""

from __future__ import annotations

import threading
import time

from porch.rollout.models import ModuleSwitch

SWITCH_MEMORY_SECONDS = 0.5

_lock = threading.Lock()
_remembered: tuple[float, frozenset[tuple[str, int | None]]] = (0.0, frozenset())


def modules_off() -> frozenset[tuple[str, int | None]]:
    """(module, cohort id) for every switch that is off; cohort None means everyone."""
    global _remembered
    now = time.monotonic()
    read_at, off = _remembered
    if now - read_at < SWITCH_MEMORY_SECONDS:
        return off
    off = frozenset(ModuleSwitch.objects.filter(is_off=True).values_list("module", "cohort_id"))
    with _lock:
        _remembered = (now, off)
    return off


def forget() -> None:
    """Drop what this process remembers (after throwing a switch here, and in tests)."""
    global _remembered
    with _lock:
        _remembered = (0.0, frozenset())
