"""The outbox to the housing management system: what residents and staff change in the
portal that the HMS must hear about, posted to its webhook and collected by position."""

from __future__ import annotations

from porch.core.modules import Link, Module, Owner, PersonalModel, register
from porch.outbox.kinds import OUTBOX_DATA, OUTBOX_EVENT

register(
    Module(
        app="outbox",
        name="Updates sent to the housing management system",
        # Staff only, by role: the DPO reads what an event said; system administrators see
        # its deliveries. The people it is about are named by id on the row.
        personal=(PersonalModel("outbox.OutboxEvent", Owner.STAFF, "subject_ids"),),
        categories=(OUTBOX_DATA,),
        audit_kinds=(OUTBOX_EVENT,),
        pages={
            "outbox:staff_list": "Staff: Updates sent to the housing management system",
            "outbox:staff_event": "Staff: One update to the housing management system (its deliveries)",
            "outbox:staff_send_again": "Staff: Send an update to the housing management system again",
            "outbox:staff_payload": "Staff: What an update to the housing management system said",
        },
        staff_links=(
            Link(
                "outbox:staff_list",
                "Updates sent to the housing management system",
                "what is waiting, delivered or given up on, and sending again",
            ),
        ),
    )
)
