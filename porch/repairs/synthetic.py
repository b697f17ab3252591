"""A repair for a synthetic test household (test residents, the isolation check, canaries).

A repair to the household's own home (its tenancy), its description carrying the marker: it
is the household's alone, so the marker on any other login is a leak. Staff lists never show
it (access.repairs_for_staff leaves out test tenancies)."""

from __future__ import annotations

from django.utils import timezone

from porch.housing.models import Tenancy
from porch.repairs import clocks, services
from porch.repairs.categories import category
from porch.repairs.models import Repair, RepairEvent

SYNTHETIC_CATEGORY = "kitchen_tap"


def synthetic_repairs_create(tenancy: Tenancy, marker: str) -> None:
    kind = category(SYNTHETIC_CATEGORY)
    now = timezone.now()
    repair = Repair(
        tenancy=tenancy,
        category=kind.code,
        priority=kind.priority.value,
        description=f"Test repair for a test household only. {marker}",
        reported_at=now,
        nation=clocks.nation(),
        reference=services.new_reference(),
        is_test=True,
    )
    repair.save()
    services.start_clocks(repair)
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.REPORTED, at=now, published=True)
