"""The housing record feed: the landlord's housing management system's record, loaded and kept in step."""

from porch.core.modules import Link, Module, Owner, PersonalModel, register
from porch.feed import staff_urls
from porch.feed.kinds import FEED_BATCH
from porch.feed.services import APPLY_LARGE_BATCH

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
        pages=staff_urls.PAGES,
        staff_links=(
            Link("feed:staff_list", "Housing record feed", "send a file from the housing system, preview it, apply it"),
            Link("feed:staff_held", "People held by the housing record feed", "new people who look like someone here"),
        ),
        approvals=(APPLY_LARGE_BATCH,),
    )
)
