"""Notices for blocks and estates: lifts out of service, fire safety checks, planned works, water off."""

from __future__ import annotations

from porch.core.modules import Link, Module, Owner, Panel, PersonalModel, Switch, register
from porch.housing.models import Property, Tenancy
from porch.notices.demo import demo_notices
from porch.notices.kinds import NOTICE, NOTICES_DATA
from porch.notices.models import Notice
from porch.notices.synthetic import synthetic_notices_create
from porch.notices.views import home_panel

NOTICES = Switch("notices", "Notices for blocks and estates")


def probe_ids(tenancy: Tenancy) -> list[str]:
    """Every notice, current or not, for the household's block, estate or patch."""
    home = Property.objects.filter(pk=tenancy.property_id)
    return [str(code) for code in Notice.objects.for_homes(home).values_list("uuid", flat=True)]


register(
    Module(
        app="notices",
        name="Notices for blocks and estates",
        switch=NOTICES,
        # Owned by its place: exactly one of block, estate and patch is set.
        personal=(PersonalModel("notices.Notice", Owner.PLACE, ("block", "estate", "patch")),),
        categories=(NOTICES_DATA,),
        audit_kinds=(NOTICE,),
        pages={
            "notices:list": "Residents: Notices for your building",
            "notices:staff_list": "Staff: Notices for blocks and estates",
            "notices:staff_new": "Staff: Post a notice",
            "notices:staff_detail": "Staff: A notice",
            "notices:staff_withdraw": "Staff: Withdraw a notice",
        },
        resident_links=(Link("notices:list", "Notices for your building"),),
        staff_links=(
            Link(
                "notices:staff_list",
                "Notices for blocks and estates",
                "lifts out of service, fire safety checks, planned works, water off",
            ),
        ),
        home_panels=(Panel("notices/home_panel.html", home_panel),),
        probe_ids=probe_ids,
        synthetic=synthetic_notices_create,
        demo=demo_notices,
    )
)
