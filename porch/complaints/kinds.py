"""The audit log's kinds for complaints, declared here so services can record with them and
module.py can register them without importing each other."""

from porch.core.modules import AuditKind, Category

COMPLAINTS_DATA = Category(
    "complaints",
    "Complaints",
    "complaints residents made to the landlord: what about, what they want to happen, the handling "
    "staff's notes, and the responses",
)

# One row per member of the household the complaint was made from, like the tenancy's record.
COMPLAINT = AuditKind("complaint", "a complaint", COMPLAINTS_DATA.key, words="a complaint from your household")
