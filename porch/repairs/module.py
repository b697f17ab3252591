"""Repairs: residents report and track repairs to their home and shared areas, contractor
firms see and do the jobs assigned to them, the repairs team runs the queue."""

from __future__ import annotations

from porch.core.modules import Link, Module, Owner, Panel, PersonalModel, Switch, register
from porch.housing.models import Property, Tenancy
from porch.repairs import contractor_urls, resident_urls, staff_urls
from porch.repairs.demo import demo_repairs
from porch.repairs.kinds import COMMUNAL_REPAIR, REPAIR, REPAIRS_DATA
from porch.repairs.models import READING_ROLES, Repair
from porch.repairs.resident_views import home_panel
from porch.repairs.subjects import REPAIR_SUBJECT
from porch.repairs.synthetic import synthetic_repairs_create

REPAIRS = Switch("repairs", "Repairs")


def probe_ids(tenancy: Tenancy) -> list[str]:
    """The household's own repairs and the repairs to its block's and estate's shared areas."""
    home = Property.objects.filter(pk=tenancy.property_id).values("block_id", "block__estate_id").first()
    if home is None:
        return []
    found = (
        Repair.objects.filter(tenancy=tenancy)
        | Repair.objects.filter(block_id=home["block_id"])
        | (Repair.objects.filter(estate_id=home["block__estate_id"]))
    )
    return [str(code) for code in found.values_list("uuid", flat=True)]


register(
    Module(
        app="repairs",
        name="Repairs",
        switch=REPAIRS,
        # A repair is a home's (its tenancy) or a shared area's (its block or its estate):
        # exactly one of the three is set. Its photos, clocks, timeline and appointments
        # are reached only through it.
        personal=(
            # The contractor firm it is assigned to now works on it.
            PersonalModel(
                "repairs.Repair",
                Owner.TENANCY,
                ("tenancy", "block", "estate"),
                reached_by=("firm",),
                staff_readers=READING_ROLES,
            ),
            # Owned as their repair is: each carries a copy of its repair's place (RepairPart),
            # and the firm holding the repair reaches them through it.
            *(
                PersonalModel(
                    f"repairs.{part}",
                    Owner.TENANCY,
                    ("tenancy", "block", "estate"),
                    reached_by=("repair",),
                    staff_readers=READING_ROLES,
                )
                for part in ("RepairClock", "RepairEvent", "RepairPhoto", "Appointment")
            ),
            PersonalModel("repairs.Assignment", Owner.CONTRACTOR, "firm"),
        ),
        categories=(REPAIRS_DATA,),
        audit_kinds=(REPAIR, COMMUNAL_REPAIR),
        pages={**resident_urls.PAGES, **contractor_urls.PAGES, **staff_urls.PAGES},
        staff_links=(
            Link("repairs:staff_queue", "Repairs queue", "triage, assign to a contractor, publish updates, close"),
            Link("repairs:staff_clocks", "Repair clocks", "Awaab's Law and Right to Repair clocks due and breached"),
        ),
        probe_ids=probe_ids,
        resident_links=(Link("repairs:list", "Repairs"),),
        home_panels=(Panel("repairs/resident/home_panel.html", home_panel),),
        synthetic=synthetic_repairs_create,
        subjects=(REPAIR_SUBJECT,),
        demo=demo_repairs,
    )
)
