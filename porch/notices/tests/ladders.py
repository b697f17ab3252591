"""The role ladders of the notices pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

import datetime
from typing import Any

from porch.notices.models import Notice
from tests.ladders import Ladder


def ash_house_notice(cast: Any) -> str:
    """A current notice for Ash House (patch North), posted by the North housing officer."""
    notice = Notice.objects.create(
        block=cast["ashton"].tenancy.property.block,
        kind=Notice.Kind.LIFT,
        title="Lift out of service",
        body="The lift is being repaired.",
        starts_on=datetime.date.today(),
        posted_by=cast.staff["north"],
    )
    return str(notice.uuid)


LADDERS = {
    "notices:list": Ladder(right="alice", wrong="staff:cs"),
    "notices:staff_list": Ladder(right="staff:north", wrong="staff:admin"),
    "notices:staff_new": Ladder(right="staff:north", wrong="staff:dpo"),
    # Another patch's officer: not visible (404); the DPO may read a notice but not withdraw it (403).
    "notices:staff_detail": Ladder(right="staff:north", wrong="staff:south", wrong_status=404, code=ash_house_notice),
    "notices:staff_withdraw": Ladder(right="staff:cs", wrong="staff:dpo", code=ash_house_notice, get_status=405),
}
