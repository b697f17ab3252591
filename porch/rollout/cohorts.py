"""Which open cohorts a resident's homes are in, and which modules that opens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from porch.accounts.module import SIGNUP
from porch.core.module import PORTAL
from porch.core.modules import switch_keys
from porch.rollout.models import Cohort, CohortHomes, CohortModule

ALWAYS_OPEN = frozenset({PORTAL.key, SIGNUP.key})


@dataclass(frozen=True)
class Reach:
    """What the rollout opens to one resident: nothing until an open cohort covers their home."""

    in_open_cohort: bool
    modules: frozenset[str]
    cohort_ids: frozenset[int] = frozenset()


NOT_YET = Reach(in_open_cohort=False, modules=frozenset())


def everything() -> Reach:
    """Every module open. Also for someone with no current home (a former tenant): they have
    no data in any module to protect, and keep their own account pages (privacy log, details)."""
    return Reach(in_open_cohort=True, modules=switch_keys())


def reach_of_homes(homes: Sequence[Mapping[str, Any]]) -> Reach:
    if not homes:
        return everything()
    covering = CohortHomes.objects.filter(active=True, cohort__status=Cohort.Status.OPEN).filter(
        Q(tenancy_id__in=[h["tenancy_id"] for h in homes])
        | Q(block_id__in=[h["tenancy__property__block_id"] for h in homes])
        | Q(estate_id__in=[h["tenancy__property__block__estate_id"] for h in homes])
        | Q(patch_id__in=[h["tenancy__property__block__estate__patch_id"] for h in homes])
    )
    cohort_ids = set(covering.values_list("cohort_id", flat=True))
    if not cohort_ids:
        return NOT_YET
    enabled = CohortModule.objects.filter(cohort_id__in=cohort_ids, enabled=True).values_list("module", flat=True)
    return Reach(in_open_cohort=True, modules=ALWAYS_OPEN | frozenset(enabled), cohort_ids=frozenset(cohort_ids))


def reach_of_tenancy(tenancy_id: int, is_test: bool, block_id: int, estate_id: int, patch_id: int) -> Reach:
    if is_test:
        return everything()
    home = {
        "tenancy_id": tenancy_id,
        "tenancy__property__block_id": block_id,
        "tenancy__property__block__estate_id": estate_id,
        "tenancy__property__block__estate__patch_id": patch_id,
    }
    return reach_of_homes([home])
