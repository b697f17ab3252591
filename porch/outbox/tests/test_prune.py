"""Removing old events: those the housing system has had for OUTBOX_KEEP_DAYS go, a batch at
a time; nothing waiting, given up on, or not yet collected by every collector; the removal
is on the record as counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from porch.audit.models import AccessEvent
from porch.outbox.models import OutboxEvent
from porch.outbox.pull import events_after
from porch.outbox.services import About, emit, events_collected, events_prune

pytestmark = pytest.mark.django_db
State = OutboxEvent.State
NOW = timezone.now()


def event(state: str = State.DELIVERED, *, days_ago: int = 100) -> OutboxEvent:
    """An event made and, if delivered, delivered `days_ago` days ago."""
    at = NOW - datetime.timedelta(days=days_ago)
    return OutboxEvent.objects.create(
        topic="repair.reported",
        about="RABCDEFG",
        payload={"description": "Tap drips"},
        subject_ids=[7],
        created_at=at,
        state=state,
        next_attempt_at=at if state == State.WAITING else None,
        delivered_at=at if state == State.DELIVERED else None,
    )


def left() -> set[int]:
    return set(OutboxEvent.objects.values_list("id", flat=True))


def test_only_events_delivered_longer_ago_than_the_days_kept_are_removed() -> None:
    old = event()
    recent = event(days_ago=89)
    waiting = event(State.WAITING)
    dead = event(State.DEAD)
    pruned = events_prune(keep_days=90, collected_by_all=None, now=NOW)
    assert pruned.removed == 1 and pruned.kept_for_collectors == 0
    assert left() == {recent.id, waiting.id, dead.id} and old.id not in left()


def test_they_are_removed_a_batch_at_a_time_until_none_is_left() -> None:
    old = [event() for _ in range(7)]
    keep = event(days_ago=1)
    assert events_prune(keep_days=90, collected_by_all=None, batch=3, now=NOW).removed == 7
    assert left() == {keep.id} and not {e.id for e in old} & left()


def test_nothing_after_what_every_collector_has_collected_is_removed() -> None:
    collected, not_yet = event(), event()
    pruned = events_prune(keep_days=90, collected_by_all=collected.id, now=NOW)
    assert (pruned.removed, pruned.kept_for_collectors) == (1, 1)
    assert left() == {not_yet.id}
    # The collector carries on from where it was: it misses nothing.
    assert [e.id for e in events_after(collected.id, 10)] == [not_yet.id]


def test_a_collector_that_has_collected_nothing_holds_every_event_back() -> None:
    event(), event()
    assert events_prune(keep_days=90, collected_by_all=0, now=NOW).removed == 0
    assert len(left()) == 2


def test_the_removal_is_recorded_as_counts_naming_nobody() -> None:
    event(), event()
    events_prune(keep_days=90, collected_by_all=None, now=NOW)
    [row] = AccessEvent.objects.filter(object_type="outbox_event")
    assert (row.action, row.subject_id, row.actor_id, row.actor_role) == ("update", None, None, "system")
    assert row.reason.startswith("removed 2 updates delivered or collected before ")
    assert "RABCDEFG" not in row.reason and "Tap" not in row.reason


def test_nothing_removed_is_not_recorded() -> None:
    event(days_ago=1)
    assert events_prune(keep_days=90, collected_by_all=None, now=NOW).removed == 0
    assert not AccessEvent.objects.exists()


def test_with_no_webhook_an_event_collected_counts_as_delivered_from_then(settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    with transaction.atomic():
        made = emit("repair.reported", about=About("RABCDEFG"), payload={"n": 1})
    assert made is not None and made.state == State.WAITING
    assert events_collected([made]) == 1
    made.refresh_from_db()
    assert made.state == State.DELIVERED and made.next_attempt_at is None
    assert made.delivered_at is not None and timezone.now() - made.delivered_at < datetime.timedelta(minutes=1)
    assert events_collected([made]) == 0  # collected again: still delivered when it first was
    assert events_prune(keep_days=90, collected_by_all=made.id).removed == 0  # collected today: kept
    later = timezone.now() + datetime.timedelta(days=91)
    assert events_prune(keep_days=90, collected_by_all=made.id, now=later).removed == 1


def test_with_a_webhook_set_collecting_delivers_nothing(settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    waiting = event(State.WAITING)
    dead = event(State.DEAD)
    assert events_collected([waiting, dead]) == 0
    assert set(OutboxEvent.objects.values_list("state", flat=True)) == {State.WAITING, State.DEAD}


def test_with_no_webhook_an_event_given_up_on_stays_so_when_collected(settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    dead = event(State.DEAD)
    assert events_collected([dead]) == 0
    dead.refresh_from_db()
    assert dead.state == State.DEAD
