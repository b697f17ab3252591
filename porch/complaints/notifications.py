"""Telling the household that something has happened on their complaint, through the
notification service (ADR 0029). The message says only that there is something to read and
where: never what the complaint or the response says, which may be about a neighbour."""

from __future__ import annotations

from django.urls import reverse

from porch.complaints.models import Complaint, ComplaintEntry
from porch.housing.models import Membership
from porch.notifications.kinds import Kind
from porch.notifications.services import notify

Entry = ComplaintEntry.Kind

# What residents are told of, in words that name nothing but the complaint itself. What they
# did themselves (made it, asked for stage 2) they already know.
TOLD = {
    Entry.ACKNOWLEDGED: ("We have received your complaint", "We have received your complaint and will respond"),
    Entry.EXTENDED: ("We need more time for your complaint", "We need more time to respond to your complaint"),
    Entry.RESPONDED: ("We have responded to your complaint", "We have responded to your complaint"),
    Entry.UPDATE: ("There is an update on your complaint", "There is an update on your complaint"),
    Entry.CLOSED: ("Your complaint is closed", "Your complaint is closed"),
}


def tell_household(complaint: Complaint, kind: str) -> None:
    """A notification to each account holder who may see the complaint (holding the tenancy now,
    since on or before the day it was made), inside the change's transaction: it is sent after
    the commit, never if the change rolls back."""
    if kind not in TOLD:
        return
    subject, said = TOLD[Entry(kind)]
    holders = (
        Membership.objects.current()
        .account_holders()
        .filter(tenancy_id=complaint.tenancy_id, start_date__lte=complaint.received_on, person__user__is_active=True)
        .select_related("person")
    )
    link = reverse("complaints:detail", args=[complaint.uuid])
    for membership in holders:
        notify(
            person=membership.person, kind=Kind.CASES, subject=subject, text=f"{said}. Sign in to read it.", link=link
        )
