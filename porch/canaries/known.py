"""The canary households as this process knows them, for the guard.

Read from the database at most every REFRESH_SECONDS, and only when a response
might carry a marker or is a file: the common response never touches it. A
canary installed by another process is guarded within REFRESH_SECONDS."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import connection

from porch.core import rls
from porch.documents.models import Document
from porch.housing.models import Membership, TestHousehold

REFRESH_SECONDS = 30.0


@dataclass(frozen=True)
class Canary:
    household_id: int
    tenancy_id: int
    reference: str
    # The current members: a marker belongs to them and to nobody else.
    member_ids: frozenset[int]

    def belongs_to(self, person_id: int | None) -> bool:
        return person_id is not None and person_id in self.member_ids


@dataclass(frozen=True)
class Canaries:
    by_marker: dict[str, Canary]
    # Stored file names of canary documents, so a file is recognised before its first byte is sent.
    by_file: dict[str, Canary]


_NONE = Canaries(by_marker={}, by_file={})
_lock = threading.Lock()
_remembered: tuple[float, Canaries] = (float("-inf"), _NONE)


def known() -> Canaries:
    global _remembered
    now = time.monotonic()
    read_at, canaries = _remembered
    if now - read_at < REFRESH_SECONDS:
        return canaries
    # Behind the database wall the canaries are read by the system: read under the request's
    # principal, a resident's request would leave the guard blind to every other household's.
    with rls.as_system(connection):
        canaries = _load()
    with _lock:
        _remembered = (now, canaries)
    return canaries


def forget() -> None:
    """Read again on next use (after installing canaries here, and in tests)."""
    global _remembered
    with _lock:
        _remembered = (float("-inf"), _NONE)


def _load() -> Canaries:
    households = list(
        TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY).values_list(
            "id", "tenancy_id", "tenancy__reference", "marker"
        )
    )
    tenancy_ids = [tenancy_id for _, tenancy_id, _, _ in households]
    members: dict[int, set[int]] = {}
    for tenancy_id, person_id in (
        Membership.objects.current().filter(tenancy_id__in=tenancy_ids).values_list("tenancy_id", "person_id")
    ):
        members.setdefault(tenancy_id, set()).add(person_id)
    by_tenancy: dict[int, Canary] = {}
    by_marker: dict[str, Canary] = {}
    for household_id, tenancy_id, reference, marker in households:
        canary = Canary(household_id, tenancy_id, reference, frozenset(members.get(tenancy_id, ())))
        by_tenancy[tenancy_id] = canary
        by_marker[marker.upper()] = canary
    by_file = {
        name: by_tenancy[tenancy_id]
        for tenancy_id, name in Document.objects.filter(tenancy_id__in=tenancy_ids).values_list("tenancy_id", "file")
    }
    return Canaries(by_marker=by_marker, by_file=by_file)
