"""An anti-social behaviour report for a synthetic test household (test residents, the isolation
check, canaries), made by its lead, with a published update, a witness statement, an internal
note and a recording the lead sent, each carrying the household's marker. It is the reporter's
alone, so the marker on any other login (their own joint tenant's included) is a leak. Written
directly (no audit: nobody made it), and kept out of staff lists (is_test)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from porch.accounts.models import User
from porch.asb import services
from porch.asb.models import AsbCase, AsbEntry, AsbEvidence
from porch.housing.models import Membership, Tenancy


def synthetic_asb_create(tenancy: Tenancy, marker: str) -> None:
    lead = Membership.objects.current().filter(tenancy=tenancy).order_by("pk").first()
    if lead is None:
        return
    case = AsbCase.objects.create(
        reference=services.new_reference(),
        reporter_id=lead.person_id,
        tenancy=tenancy,
        what_happened=f"Test report for a test household only. {marker}",
        happened_when="Test",
        where=AsbCase.Where.BLOCK,
        who_involved=f"Nobody: it is a test. {marker}",
        is_test=True,
    )
    entries = (
        (AsbEntry.Kind.REPORTED, "", True),
        (AsbEntry.Kind.UPDATE, f"Test update. {marker}", True),
        (AsbEntry.Kind.WITNESS, f"Test witness statement. {marker}", False),
        (AsbEntry.Kind.NOTE, f"Internal. {marker}", False),
    )
    for kind, text, published in entries:
        AsbEntry.objects.create(case=case, reporter_id=lead.person_id, kind=kind, text=text, published=published)
    # Not a real recording: the crawl reads the bytes for the marker, and nobody plays it.
    data = f"ID3 Test recording for a test household only. {marker}".encode()
    AsbEvidence.objects.create(
        case=case,
        reporter_id=lead.person_id,
        file=ContentFile(data, name="upload.mp3"),
        content_type="audio/mpeg",
        size=len(data),
        uploaded_by=User.objects.filter(person_id=lead.person_id).first(),
    )


def asb_codes(tenancy: Tenancy) -> list[str]:
    """The household's reports (any member's) and their files, for the isolation check and the
    canary crawl."""
    cases = [str(code) for code in AsbCase.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)]
    files = [str(code) for code in AsbEvidence.objects.filter(case__tenancy=tenancy).values_list("uuid", flat=True)]
    return cases + files
