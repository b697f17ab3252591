"""What the back office adds to an actor, handed in when its apps load.

Accounts sits below the back office (staff, rollout) and imports nothing of it. The
back office provides these parts from its AppConfig.ready(). Each default is the
closed answer, so a part nobody provides shuts a door rather than opening one: no
pilot cohort reaches the resident, no training counts, no record is open by break
glass, nobody is seen as."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from porch.core.actor import Actor
from porch.core.rls import Jobs


@dataclass(frozen=True)
class Reach:
    """What the rollout opens to one resident: nothing until an open cohort covers their home."""

    in_open_cohort: bool
    modules: frozenset[str]
    cohort_ids: frozenset[int] = frozenset()


NOT_YET = Reach(in_open_cohort=False, modules=frozenset())

# Each home as a mapping with tenancy_id, tenancy__property__block_id, ..._estate_id, ..._patch_id.
Homes = Sequence[Mapping[str, Any]]


@dataclass
class ActorParts:
    reach_of_homes: Callable[[Homes], Reach] = lambda homes: NOT_YET
    # Everything open: test households rehearse before any cohort opens.
    reach_of_test_homes: Callable[[], Reach] = lambda: NOT_YET
    training_valid_days: Callable[[], int] = lambda: 0
    break_glass_tenancy_ids: Callable[[int], frozenset[int]] = lambda user_id: frozenset()
    # The resident's user this staff member is seeing the portal as, if a session is live (reads only).
    viewing_as_user: Callable[[HttpRequest, Actor], object | None] = lambda request, staff: None
    # The repairs a contractor's firm may see now, and their homes (the database wall's).
    firm_jobs: Callable[[Actor], Jobs] = lambda actor: Jobs()


parts = ActorParts()


def provide(**given: Callable[..., Any]) -> None:
    """Called from a back-office app's ready(): provide(reach_of_homes=...)."""
    for name, part in given.items():
        if not hasattr(parts, name):
            raise TypeError(f"no actor part called {name}")
        setattr(parts, name, part)
