"""The housing record feed: the landlord's housing management system's record, loaded and kept in step."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, ResidentRule, register
from porch.feed.services import APPLY_LARGE_BATCH

# A batch's file holds the record it carries; its pages show references and what changes.
FEED_BATCH = AuditKind(
    "feed_batch", "a batch of the housing record from the housing system", "household", residents=ResidentRule.NEVER
)

register(
    Module(
        app="feed",
        name="Housing record feed",
        audit_kinds=(FEED_BATCH,),
        personal=(
            PersonalModel("feed.FeedBatch", Owner.STAFF, "received_by"),
            PersonalModel("feed.FeedProblem", Owner.STAFF, "batch"),
            PersonalModel("feed.HeldPerson", Owner.STAFF, "batch"),
        ),
        approvals=(APPLY_LARGE_BATCH,),
    )
)
