"""Collecting events in order by position: what the API for the housing system (built
elsewhere) calls, and the one definition of an event's body."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction

from porch.outbox import pull
from porch.outbox.models import OutboxEvent
from porch.outbox.pull import as_json, body, events_after
from porch.outbox.services import About, emit

pytestmark = pytest.mark.django_db


def emitted(count: int) -> list[OutboxEvent]:
    events = []
    for number in range(count):
        with transaction.atomic():
            event = emit("repair.reported", about=About(f"T{number:04}"), payload={"n": number})
        assert event is not None
        events.append(event)
    return events


def test_events_come_in_position_order_a_page_at_a_time_from_where_the_last_page_ended() -> None:
    events = emitted(7)
    collected, position = [], None
    while page := events_after(position, 3):
        assert len(page) <= 3
        collected += page
        position = page[-1].id
    assert [event.pk for event in collected] == [event.pk for event in events]
    assert events_after(events[-1].pk, 3) == []  # nothing after the last


def test_from_nothing_or_nought_is_from_the_first() -> None:
    events = emitted(2)
    assert events_after(None, 10) == events_after(0, 10) == events_after(-5, 10)
    assert [event.pk for event in events_after(None, 10)] == [event.pk for event in events]


def test_every_event_is_collected_whatever_its_webhook_delivery() -> None:
    first, second, third = emitted(3)
    OutboxEvent.objects.filter(pk=first.pk).update(
        state="delivered", next_attempt_at=None, delivered_at=first.created_at
    )
    OutboxEvent.objects.filter(pk=second.pk).update(state="dead", next_attempt_at=None)
    assert [event.pk for event in events_after(None, 10)] == [first.pk, second.pk, third.pk]


def test_one_call_hands_back_at_most_the_limit_and_never_more_than_the_most_there_can_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = emitted(3)
    assert events_after(None, 0) == [] and events_after(None, -1) == []
    assert [event.pk for event in events_after(None, 2)] == [events[0].pk, events[1].pk]
    monkeypatch.setattr(pull, "MAX_LIMIT", 2)  # however many a caller asks for
    assert len(pull.events_after(None, 1000)) == 2


def test_an_event_reads_as_its_id_position_topic_reference_payload_and_time() -> None:
    with transaction.atomic():
        event = emit(
            "details_change.approved",
            about=About("P0001", [7]),
            payload={"field": "email", "new_value": "zoë@example.org"},
        )
    assert event is not None
    event = OutboxEvent.objects.get(pk=event.pk)
    event.created_at = datetime.datetime(2026, 3, 27, 9, 30, 5, 120000, tzinfo=datetime.UTC)
    assert as_json(event) == {
        "id": str(event.uuid),
        "position": event.pk,
        "topic": "details_change.approved",
        "about": "P0001",
        "payload": {"field": "email", "new_value": "zoë@example.org"},
        "created_at": "2026-03-27T09:30:05.120000+00:00",
    }
    assert "subject_ids" not in as_json(event)  # the portal's own ids never leave it
    assert json.loads(body(event)) == as_json(event)
    assert body(event) == body(event) and "zoë".encode() in body(event)  # the same UTF-8 bytes every time
