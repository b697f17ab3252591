"""The role ladders of the outbox's staff pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from typing import Any

from porch.outbox.models import OutboxEvent
from tests.ladders import Ladder


def given_up_event(cast: Any) -> str:
    """An update about Alice that the outbox gave up on after eight failed tries."""
    event = OutboxEvent.objects.create(
        topic="details_change.approved",
        about=cast["ashton"].people["alice"].housing_reference,
        payload={"field": "mobile", "new_value": "07700 900982"},
        subject_ids=[cast["ashton"].people["alice"].pk],
        state=OutboxEvent.State.DEAD,
        attempts=8,
        next_attempt_at=None,
        last_error="The housing system answered 503",
    )
    return str(event.uuid)


LADDERS = {
    # System administrators and the DPO watch the deliveries; nobody else.
    "outbox:staff_list": Ladder(right="staff:admin", wrong="staff:cs"),
    "outbox:staff_event": Ladder(right="staff:admin", wrong="staff:north", code=given_up_event),
    # Only system administrators send again; the DPO may read but not send (403).
    "outbox:staff_send_again": Ladder(right="staff:admin", wrong="staff:dpo", code=given_up_event, get_status=405),
    # Only the DPO reads what an update said: a system administrator sees no residents' data.
    "outbox:staff_payload": Ladder(right="staff:dpo", wrong="staff:admin", code=given_up_event),
}
