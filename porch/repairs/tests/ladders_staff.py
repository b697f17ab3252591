"""The role ladders of the staff pages of repairs (merged by ladders.py for the route sweep),
and the repairs and the repairs coordinator the staff tests share.

The cast has no repairs coordinator: `with_coordinator` adds one (cast.staff["repairs"],
organisation-wide) before the sweep signs anyone in, and returns the id the page needs."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.test import override_settings

from conftest import Cast, make_staff
from porch.accounts.actors import actor_for_user
from porch.core.roles import StaffRole
from porch.housing.models import Block
from porch.repairs import clocks, services
from porch.repairs.categories import category
from porch.repairs.models import Repair, RepairPhoto
from tests.ladders import Ladder


def coordinator(cast: Cast) -> Any:
    if "repairs" not in cast.staff:
        cast.staff["repairs"] = make_staff("repairs@staff.example.org", [StaffRole.REPAIRS_COORDINATOR], [])
    return cast.staff["repairs"]


def make_repair(
    cast: Cast,
    *,
    household: str = "ashton",
    reporter: str = "alice",
    code: str = "kitchen_tap",
    communal: bool = False,
    nation: str = clocks.ENGLAND,
    description: str = "The kitchen tap drips all night.",
) -> Repair:
    """A repair as a resident reports it (its clocks and first timeline entry), through the
    same service the reporting journey uses."""
    home = cast[household]
    person = home.people[reporter]
    block: Block = home.tenancy.property.block
    report = services.Report(
        category=category(code),
        description=description,
        tenancy=None if communal else home.tenancy,
        block=block if communal else None,
        contact_name=person.first_name,
        contact_phone="07700 900123",
        notify_by=Repair.NotifyBy.EMAIL,
    )
    actor = actor_for_user(home.users[reporter], verified=True)
    with override_settings(REPAIRS_NATION=nation):
        return services.report_repair(actor=actor, report=report, key=uuid.uuid4())


def add_photo(repair: Repair) -> RepairPhoto:
    return RepairPhoto.objects.create(
        repair=repair,
        file=ContentFile(b"\xff\xd8\xff\xe0 not a real jpeg", name="x.jpeg"),
        content_type="image/jpeg",
        size=20,
    )


def with_coordinator(cast: Cast) -> str:
    """Pages with no id: add the coordinator, fill nothing."""
    coordinator(cast)
    return ""


def ash_house_repair(cast: Cast) -> str:
    """Alice's repair in Ash House (patch North), with the coordinator added."""
    coordinator(cast)
    return str(make_repair(cast).uuid)


def ash_house_block(cast: Cast) -> str:
    coordinator(cast)
    return str(cast["ashton"].tenancy.property.block.uuid)


def ash_house_photo(cast: Cast) -> str:
    coordinator(cast)
    return str(add_photo(make_repair(cast)).uuid)


def _action(get_status: int = 405) -> Ladder:
    # Only coordinators change repairs: the DPO, who may read every repair, gets 403.
    return Ladder(right="staff:repairs", wrong="staff:dpo", code=ash_house_repair, get_status=get_status)


LADDERS: dict[str, Ladder] = {
    # A system administrator has no repairs role: 403.
    "repairs:staff_queue": Ladder(right="staff:repairs", wrong="staff:admin", code=with_coordinator),
    "repairs:staff_clocks": Ladder(right="staff:repairs", wrong="staff:admin", code=with_coordinator),
    # Another patch's housing officer: not visible (404).
    "repairs:staff_block": Ladder(right="staff:repairs", wrong="staff:south", wrong_status=404, code=ash_house_block),
    "repairs:staff_detail": Ladder(right="staff:repairs", wrong="staff:south", wrong_status=404, code=ash_house_repair),
    "repairs:staff_photo": Ladder(right="staff:repairs", wrong="staff:south", wrong_status=404, code=ash_house_photo),
    "repairs:staff_triage": _action(),
    "repairs:staff_assign": _action(),
    "repairs:staff_update": _action(),
    "repairs:staff_contractor_note": _action(),
    "repairs:staff_note": _action(),
    "repairs:staff_investigated": _action(),
    "repairs:staff_hazard": _action(),
    "repairs:staff_made_safe": _action(),
    "repairs:staff_summary_sent": _action(),
    "repairs:staff_close": _action(),
}
