"""What an event looks like to the housing management system, and collecting events in order.

`as_json` is the one definition of an event's body: the webhook posts exactly these
bytes (`body`), and the API that lets the HMS collect events (built elsewhere) serves the
same dictionaries from `events_after`. docs/outbox.md describes it for the HMS's side.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from porch.outbox.models import OutboxEvent

# The most events one call hands back, whatever the caller asks for.
MAX_LIMIT = 500


def as_json(event: OutboxEvent) -> dict[str, Any]:
    """The event as the HMS receives it. `id` is what it de-duplicates on; `position` is
    where it is in the outbox, to collect the next ones from."""
    return {
        "id": str(event.uuid),
        "position": event.id,
        "topic": event.topic,
        "about": event.about,
        "payload": event.payload,
        "created_at": event.created_at.astimezone(datetime.UTC).isoformat(),
    }


def body(event: OutboxEvent) -> bytes:
    """The webhook's body: as_json as compact UTF-8 JSON, keys sorted, so the same event
    is the same bytes on every try (the signature covers these exact bytes)."""
    return json.dumps(as_json(event), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def events_after(position: int | None, limit: int) -> list[OutboxEvent]:
    """Up to `limit` events after `position` (None or 0: from the first), in position order,
    whatever their webhook delivery state. An event's position is fixed once it is
    visible, and events commit in position order (services.emit), so a caller that asks
    again from the last position it received never misses one."""
    start = max(position or 0, 0)
    count = min(max(limit, 0), MAX_LIMIT)
    return list(OutboxEvent.objects.filter(id__gt=start).order_by("id")[:count])
