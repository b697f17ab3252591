"""A notice for a synthetic test household (test residents, the isolation check, canaries).

Each test home is a block of its own (porch.housing.synthetic), so a notice for that block
reaches that one household: its marker on any other login is a leak. No staff list shows
it (access.notices_for_staff): a canary's marker there would trip the response guard."""

from __future__ import annotations

from porch.housing.models import Property, Tenancy
from porch.notices.models import Notice


def synthetic_notices_create(tenancy: Tenancy, marker: str) -> None:
    """A current notice for the household's block, its title and body carrying the marker.
    None if anyone else lives in the block (a test home made before each had a block of its
    own): every other household there would rightly see it, a false leak."""
    home = Property.objects.select_related("block").get(pk=tenancy.property_id)
    if Property.objects.filter(block_id=home.block_id).exclude(pk=home.pk).exists():
        return
    Notice.objects.create(
        block=home.block,
        kind=Notice.Kind.OTHER,
        title=f"Test notice {marker}",
        body=f"A notice for a test household's block only. {marker}",
        starts_on=tenancy.start_date,
    )
