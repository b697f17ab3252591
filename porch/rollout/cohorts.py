"""Which open cohorts a resident's homes are in, and which modules that opens."""

from __future__ import annotations

from django.db.models import Q

from porch.accounts.actor_parts import NOT_YET, Homes, Reach
from porch.accounts.module import SIGNUP
from porch.core.module import PORTAL
from porch.core.modules import Switch, switch_keys, switches
from porch.rollout.models import Cohort, CohortHomes

ALWAYS_OPEN = frozenset({PORTAL.key, SIGNUP.key})


def cohort_switches() -> list[Switch]:
    """The declared modules a cohort switches on or off (the portal and sign-up come with opening)."""
    return [switch for switch in switches() if switch.key not in ALWAYS_OPEN]


def everything() -> Reach:
    """Every module open. Also for someone with no current home (a former tenant): they have
    no data in any module to protect, and keep their own account pages (privacy log, details)."""
    return Reach(in_open_cohort=True, modules=switch_keys())


def reach_of_homes(homes: Homes) -> Reach:
    if not homes:
        return everything()
    covering = CohortHomes.objects.filter(active=True, cohort__status=Cohort.Status.OPEN).filter(
        Q(tenancy_id__in=[h["tenancy_id"] for h in homes])
        | Q(block_id__in=[h["tenancy__property__block_id"] for h in homes])
        | Q(estate_id__in=[h["tenancy__property__block__estate_id"] for h in homes])
        | Q(patch_id__in=[h["tenancy__property__block__estate__patch_id"] for h in homes])
    )
    # One query: each covering cohort, once per module it names (a cohort naming none: once, with NULLs).
    rows = list(covering.values_list("cohort_id", "cohort__modules__module", "cohort__modules__enabled"))
    cohort_ids = {cohort_id for cohort_id, _, _ in rows}
    if not cohort_ids:
        return NOT_YET
    modules = frozenset(module for _, module, enabled in rows if module and enabled)
    return Reach(in_open_cohort=True, modules=ALWAYS_OPEN | modules, cohort_ids=frozenset(cohort_ids))
