"""The role ladders of the resident pages of repairs (merged by ladders.py for the route sweep).

The report journey's later questions send a resident with no journey yet back to its first
question (302). A repair's pages: the right resident is Alice (her home's repair); Carol, next
door, gets 404 (not visible); staff get 403 (not a resident's page)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from porch.accounts.actors import actor_for_user
from porch.repairs import categories, services
from porch.repairs.models import Appointment, Repair, RepairPhoto, Slot
from tests.ladders import Ladder


def alices_repair(cast: Any) -> Repair:
    """A bookable repair to the Ashtons' home, reported by Alice, with an appointment in a week."""
    report = services.Report(
        category=categories.category("kitchen_tap"), description="Tap drips", tenancy=cast["ashton"].tenancy
    )
    actor = actor_for_user(cast.resident("alice"), verified=True)
    repair = services.report_repair(actor=actor, report=report, key=uuid.uuid4())
    starts = timezone.now() + datetime.timedelta(days=7)
    slot = Slot.objects.create(
        patch=cast.patches["north"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=4)
    )
    Appointment.objects.create(repair=repair, slot=slot)
    return repair


def repair_code(cast: Any) -> str:
    return str(alices_repair(cast).uuid)


def photo_code(cast: Any) -> str:
    repair = alices_repair(cast)
    photo = RepairPhoto(repair=repair, content_type="image/png", size=3)
    photo.file.save("photo.png", ContentFile(b"png"), save=True)
    return str(photo.uuid)


JOURNEY = (
    "report_emergency",
    "report_home",
    "report_where",
    "report_area",
    "report_category",
    "report_description",
    "report_photos",
    "report_access",
    "report_contact",
    "report_slot",
    "report_check",
)

LADDERS: dict[str, Ladder] = {
    "repairs:list": Ladder(right="alice", wrong="staff:cs"),
    "repairs:report": Ladder(right="alice", wrong="staff:cs"),
    **{f"repairs:{step}": Ladder(right="alice", wrong="staff:cs", get_status=302) for step in JOURNEY},
    "repairs:reported": Ladder(right="alice", wrong="carol", wrong_status=404, code=repair_code),
    "repairs:detail": Ladder(right="alice", wrong="carol", wrong_status=404, code=repair_code),
    "repairs:photo": Ladder(right="alice", wrong="carol", wrong_status=404, code=photo_code),
    "repairs:appointment_change": Ladder(right="alice", wrong="carol", wrong_status=404, code=repair_code),
    "repairs:appointment_cancel": Ladder(right="alice", wrong="staff:cs", code=repair_code, get_status=405),
    "repairs:cancel": Ladder(right="alice", wrong="carol", wrong_status=404, code=repair_code),
}
