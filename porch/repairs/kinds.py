"""The audit log's kinds for repairs, declared here so services can record with them and
module.py can register them without importing each other."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value

from porch.core.expressions import plain_uuid, uuid_text
from porch.core.modules import AuditKind, Category, ResidentRule
from porch.repairs.models import Assignment, communal_repair_homes, communal_repair_patches

REPAIRS_DATA = Category(
    "repairs",
    "Repairs",
    "repairs to homes and shared areas: what is wrong, photos, who can let a contractor in and when, "
    "whether someone in the home needs extra help, and a contact phone number",
)


def repair_firms(object_id: Any, at: Any) -> QuerySet[Any, Any]:
    """The firms that held the repair at that moment, for the exposure report: a firm holds it
    from its assignment until it is reassigned (at once) or, when its assignment ended with the
    repair's closing, for REPAIRS_CONTRACTOR_DAYS more (as Repair.objects.visible_to)."""
    grace = Value(datetime.timedelta(days=settings.REPAIRS_CONTRACTOR_DAYS))
    return (
        Assignment.objects.alias(
            code=uuid_text("repair__uuid"),
            until=ExpressionWrapper(F("ended_at") + grace, output_field=DateTimeField()),
        )
        .filter(code=plain_uuid(object_id), started_at__lte=at)
        .filter(
            Q(ended_at__isnull=True)
            | Q(ended_at__gt=at)
            | Q(until__gt=at, repair__closed_at__isnull=False, ended_at__gte=F("repair__closed_at"))
        )
        .values("firm_id")
    )


# A repair to a home: one row per member of the household, like the tenancy's record.
REPAIR = AuditKind(
    "repair", "a repair to a home", REPAIRS_DATA.key, words="a repair to your home", contractor_firms=repair_firms
)


# A repair to a shared area, as residents of the place see it (no reporter, no description
# of anyone's home). About a place: no subject, so no privacy page lists a neighbour's look.
COMMUNAL_REPAIR = AuditKind(
    "communal_repair",
    "a repair to a shared area",
    REPAIRS_DATA.key,
    residents=ResidentRule.PLACE,
    place=communal_repair_homes,
    place_patches=communal_repair_patches,
    contractor_firms=repair_firms,
)
