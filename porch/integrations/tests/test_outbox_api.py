"""The housing system collects the outbox's updates through the signed API, in order, a page
at a time, and each collection is recorded against the people the updates are about."""

from __future__ import annotations

import pytest
from django.db import transaction

from conftest import Cast
from porch.audit.models import AccessEvent
from porch.integrations.tests.helpers import Hms, connection
from porch.outbox.services import About, emit

pytestmark = pytest.mark.django_db
EVENTS = "/api/feed/v1/outbox/events"


def _updates(cast: Cast, count: int) -> list[int]:
    alice = cast["ashton"].people["alice"]
    positions = []
    for number in range(count):
        with transaction.atomic():
            event = emit("repair.reported", about=About("T000001", people=[alice.pk]), payload={"n": number})
        assert event is not None
        positions.append(event.pk)
    return positions


def test_updates_are_collected_in_order_a_page_at_a_time(cast: Cast) -> None:
    positions = _updates(cast, 3)
    hms = Hms(*connection(cast, scopes=("outbox",)))
    first = hms.get(f"{EVENTS}?limit=2").json()
    assert [event["position"] for event in first["events"]] == positions[:2]
    assert first["events"][0]["payload"] == {"n": 0} and first["events"][0]["topic"] == "repair.reported"
    rest = hms.get(f"{EVENTS}?after={first['next_after']}&limit=2").json()
    assert [event["position"] for event in rest["events"]] == positions[2:] and rest["next_after"] is None
    looks = AccessEvent.objects.filter(object_type="outbox_event", subject=cast["ashton"].people["alice"])
    assert looks.count() == 3 and all("collected by Housing management system" in look.reason for look in looks)


def test_a_connection_without_the_outbox_scope_collects_nothing(cast: Cast) -> None:
    _updates(cast, 1)
    hms = Hms(*connection(cast, scopes=("people",)))
    response = hms.get(EVENTS)
    assert response.status_code == 403 and "payload" not in response.content.decode()
    assert not AccessEvent.objects.filter(object_type="outbox_event").exists()
