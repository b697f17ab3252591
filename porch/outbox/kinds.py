"""The audit log's kind for the outbox, declared here so services can record with it and
module.py can register it without importing each other."""

from porch.core.modules import AuditKind, Category, Reached, ResidentRule
from porch.core.roles import StaffRole

OUTBOX_DATA = Category(
    "outbox",
    "Updates sent to the housing management system",
    "copies of what residents and staff changed in the portal, sent on to the housing management system: "
    "approved changes to a person's details, repairs reported (what is wrong, where, and the description)",
)
# Reading what an update said is the Data Protection Officer's alone (system administrators
# see the deliveries, never the contents), recorded once per person it is about. Residents
# never read the outbox, but are told on their privacy page that someone looked.
OUTBOX_EVENT = AuditKind(
    "outbox_event",
    "an update sent to the housing management system",
    OUTBOX_DATA.key,
    words="a copy of what we sent about you to our housing management system",
    reached=Reached.ALONE,
    residents=ResidentRule.NEVER,
    readers=frozenset({StaffRole.DPO}),
)
