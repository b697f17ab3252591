"""A complaint for a synthetic test household (test residents, the isolation check, canaries):
at stage 1, acknowledged, with a published update, each carrying the household's marker. It is
the household's alone, so the marker on any other login is a leak. Written directly (no PDF, no
audit: nobody made it), and kept out of staff lists and the figures (is_test)."""

from __future__ import annotations

from django.utils import timezone

from porch.complaints import clocks, services
from porch.complaints.models import Complaint, ComplaintEntry
from porch.housing.models import Tenancy


def synthetic_complaints_create(tenancy: Tenancy, marker: str) -> None:
    region = clocks.region()
    today = timezone.localdate()
    complaint = Complaint.objects.create(
        reference=services.new_reference(),
        tenancy=tenancy,
        received_on=today,
        about=f"Test complaint for a test household only. {marker}",
        wanted=f"Nothing: it is a test. {marker}",
        nation=clocks.nation_of(region),
        region=region,
        is_test=True,
    )
    services.stage_start(complaint, 1, today)
    for kind, text in ((ComplaintEntry.Kind.RAISED, ""), (ComplaintEntry.Kind.UPDATE, f"Test update. {marker}")):
        ComplaintEntry.objects.create(
            complaint=complaint, tenancy=tenancy, kind=kind, text=text, published=True, stage=1
        )
    ComplaintEntry.objects.create(
        complaint=complaint, tenancy=tenancy, kind=ComplaintEntry.Kind.NOTE, text=f"Internal. {marker}", stage=1
    )


def complaint_codes(tenancy: Tenancy) -> list[str]:
    """The household's complaints, for the isolation check and the canary crawl."""
    return [str(code) for code in Complaint.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)]
