"""Housing system connections: the signed API the landlord's housing management system
sends the housing record through, and the accounts it signs with (ADR 0021)."""

from porch.core.modules import Link, Module, Owner, PersonalModel, register
from porch.integrations.kinds import CONNECTION

register(
    Module(
        app="integrations",
        name="Housing system connections",
        # A connection names the system administrator who added it.
        personal=(PersonalModel("integrations.Connection", Owner.STAFF, "created_by"),),
        audit_kinds=(CONNECTION,),
        pages={
            "integrations:list": "Staff: Housing system connections",
            "integrations:new": "Staff: Add a housing system connection",
            "integrations:detail": "Staff: A housing system connection",
            "integrations:change": "Staff: Change what a housing system connection may do",
            "integrations:rotate": "Staff: Rotate a housing system connection's secret",
            "integrations:switch_off": "Staff: Switch off a housing system connection",
            "feed_api:batch_submit": "Housing system: Send a batch of the housing record",
            "feed_api:batch": "Housing system: A batch's status",
            "feed_api:batch_problems": "Housing system: A batch's refused rows",
            "feed_api:outbox_events": "Housing system: Collect the updates waiting for it (the outbox)",
            "feed_api:openapi": "Housing system: The API's description (OpenAPI)",
        },
        staff_links=(
            Link(
                "integrations:list",
                "Housing system connections",
                "the housing management system's access to send the housing record: add, change, rotate, switch off",
            ),
        ),
    )
)
