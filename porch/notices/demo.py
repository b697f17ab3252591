"""Demo notices: the lift at the cast's block, and planned works at another block.

Called by the demo seeder once the homes, people and staff exist. Each notice has a fixed
idempotency key, so calling it twice adds nothing. Like the rest of the demo data it is
written directly, not through the audited services: nobody posted it."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from porch.accounts.models import User
from porch.housing.cast import CAST_BLOCK, demo_email
from porch.housing.models import Block
from porch.housing.synthetic import TEST_PATCH
from porch.notices.models import Notice

LIFT_KEY = uuid.UUID("6e6f7469-6365-4000-8000-000000000001")
WORKS_KEY = uuid.UUID("6e6f7469-6365-4000-8000-000000000002")
DAY = datetime.timedelta(days=1)


def demo_notices() -> None:
    """A current "Lift out of service" notice for Ashdown House, posted by the North housing
    officer, and a planned-works notice for another block: in North too when North has one
    (also the North officer's), else elsewhere, posted by customer services, who may post
    anywhere (a demo of the minimum size has one block in each patch)."""
    officer = User.objects.filter(username=demo_email("housing.north")).first()
    adviser = User.objects.filter(username=demo_email("customer.services")).first()
    ashdown = Block.objects.filter(name=CAST_BLOCK).select_related("estate").order_by("pk").first()
    if officer is None or adviser is None or ashdown is None:
        return  # the demo cast is not loaded
    today = timezone.localdate()
    Notice.objects.get_or_create(
        idempotency_key=LIFT_KEY,
        defaults={
            "block": ashdown,
            "kind": Notice.Kind.LIFT,
            "title": "Lift out of service",
            "body": (
                f"The lift at {CAST_BLOCK} is out of service while a new motor is fitted. "
                "Engineers expect it to be working again by the end of next week.\n\n"
                "If you cannot use the stairs and need help getting in or out, call us and we will arrange it."
            ),
            "starts_on": today - 2 * DAY,
            "ends_on": today + 9 * DAY,
            "posted_by": officer,
        },
    )
    north = ashdown.estate.patch_id
    elsewhere = Block.objects.exclude(pk=ashdown.pk).exclude(estate__patch__name=TEST_PATCH).order_by("pk")
    other, poster = elsewhere.filter(estate__patch_id=north).first(), officer
    if other is None:
        other, poster = elsewhere.first(), adviser
    if other is None:
        return
    Notice.objects.get_or_create(
        idempotency_key=WORKS_KEY,
        defaults={
            "block": other,
            "kind": Notice.Kind.PLANNED_WORKS,
            "title": "New windows",
            "body": (
                f"We are replacing the windows at {other.name}, a floor at a time, over the next four weeks. "
                "We will put a letter through your door a week before we need to come into your home."
            ),
            "starts_on": today,
            "ends_on": today + 28 * DAY,
            "posted_by": poster,
        },
    )
