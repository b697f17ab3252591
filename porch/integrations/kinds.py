"""The audit log's kind for housing system connections, declared here so services can record
with it and module.py can register it without importing each other."""

from porch.core.modules import AuditKind, ResidentRule

# A connection being added, changed, rotated or switched off by a system administrator, and
# each batch of the housing record a connection sends. Residents are never told: it is about
# the landlord's systems (the batch's own rows are audited as the feed applies them).
CONNECTION = AuditKind(
    "feed_connection",
    "a housing system connection, and the batches of the housing record it sends",
    residents=ResidentRule.NEVER,
)
