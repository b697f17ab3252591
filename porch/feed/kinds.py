"""The feed's audit kind, declared here so the staff pages can record with it and module.py
can register it without importing each other."""

from porch.core.modules import AuditKind, ResidentRule

# A batch's file holds the record it carries; its pages show references and what changes.
FEED_BATCH = AuditKind(
    "feed_batch", "a batch of the housing record from the housing system", "household", residents=ResidentRule.NEVER
)
