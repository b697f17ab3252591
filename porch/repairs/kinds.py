"""The audit log's kinds for repairs, declared here so services can record with them and
module.py can register them without importing each other."""

from porch.core.modules import AuditKind, Category, ResidentRule
from porch.repairs.models import communal_repair_homes, communal_repair_patches

REPAIRS_DATA = Category(
    "repairs",
    "Repairs",
    "repairs to homes and shared areas: what is wrong, photos, who can let a contractor in and when, "
    "whether someone in the home needs extra help, and a contact phone number",
)

# A repair to a home: one row per member of the household, like the tenancy's record.
REPAIR = AuditKind("repair", "a repair to a home", REPAIRS_DATA.key, words="a repair to your home")


# A repair to a shared area, as residents of the place see it (no reporter, no description
# of anyone's home). About a place: no subject, so no privacy page lists a neighbour's look.
COMMUNAL_REPAIR = AuditKind(
    "communal_repair",
    "a repair to a shared area",
    REPAIRS_DATA.key,
    residents=ResidentRule.PLACE,
    place=communal_repair_homes,
    place_patches=communal_repair_patches,
)
