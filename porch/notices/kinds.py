"""The audit log's kind for notices, declared here so services can record with it and
module.py can register it without importing each other."""

from porch.core.modules import AuditKind, Category, ResidentRule
from porch.notices.models import notice_homes, notice_patches

NOTICES_DATA = Category(
    "notices",
    "Notices for blocks and estates",
    "notices to everyone in a block, an estate or an area (lifts out of service, fire safety checks, "
    "planned works, water off): about places, not people, though one may name a resident by mistake",
)
# About a place, not a person: no subject, so no resident's privacy page lists it. The exposure
# report counts a read as allowed for those who lived in the place then, and for staff whose
# patch held it then (notice_homes says which homes a notice covers).
NOTICE = AuditKind(
    "notice",
    "a notice for a block, estate or area",
    NOTICES_DATA.key,
    residents=ResidentRule.PLACE,
    place=notice_homes,
    place_patches=notice_patches,
)
