"""Emitting: an event is written with the change it tells of, or not at all."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from porch.outbox.models import OutboxEvent
from porch.outbox.pull import events_after
from porch.outbox.services import About, OutsideTransaction, emit

TASK = "porch.outbox.delivery.outbox_event_send"
ALICE = About("P0001", [1])


class ChangeUndone(Exception):
    pass


@pytest.mark.django_db
def test_a_change_that_rolls_back_emits_nothing() -> None:
    with pytest.raises(ChangeUndone), transaction.atomic():
        emit("repair.reported", about=ALICE, payload={"reference": "RABCDEFG"})
        assert OutboxEvent.objects.count() == 1  # written with the change...
        raise ChangeUndone
    assert not OutboxEvent.objects.exists()  # ...and undone with it


@pytest.mark.django_db
def test_an_inner_savepoint_that_rolls_back_takes_its_event_and_its_send_with_it(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    with django_capture_on_commit_callbacks(execute=True) as sends, transaction.atomic():
        emit("repair.reported", about=ALICE, payload={"n": 1})
        with pytest.raises(ChangeUndone), transaction.atomic():
            emit("repair.reported", about=ALICE, payload={"n": 2})
            raise ChangeUndone
    assert [event.payload for event in OutboxEvent.objects.all()] == [{"n": 1}]
    assert len(sends) == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emitting_outside_a_transaction_is_refused_and_writes_nothing() -> None:
    with pytest.raises(OutsideTransaction):
        emit("repair.reported", about=ALICE, payload={})
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_the_payload_is_kept_as_the_json_it_will_be_sent_as() -> None:
    moment = datetime.datetime(2026, 3, 27, 9, 30, tzinfo=datetime.UTC)
    with transaction.atomic():
        event = emit(
            "details_change.approved",
            about=About("P0001", [3, None, 3, 1]),
            payload={"decided_at": moment, "born": datetime.date(1985, 3, 27)},
        )
    assert event is not None
    event.refresh_from_db()
    assert event.payload == {"decided_at": "2026-03-27T09:30:00Z", "born": "1985-03-27"}
    assert event.subject_ids == [1, 3]  # each person once; nobody for "no one"
    assert event.state == OutboxEvent.State.WAITING and event.attempts == 0


@pytest.mark.django_db
def test_a_test_households_event_is_never_kept() -> None:
    with transaction.atomic():
        assert emit("repair.reported", about=About("T-TEST", [1], test=True), payload={}) is None
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("topic", ["", "repair", "Repair.Reported", "repair reported", "repair.reported.", "x" * 70])
def test_a_topic_must_read_as_thing_dot_what_happened(topic: str) -> None:
    with pytest.raises(ValueError, match="topic"), transaction.atomic():
        emit(topic, about=ALICE, payload={})


@pytest.mark.django_db
def test_an_event_must_name_what_it_is_about() -> None:
    with pytest.raises(ValueError, match="reference"), transaction.atomic():
        emit("repair.reported", about=About(""), payload={})


@pytest.mark.django_db
def test_with_no_webhook_nothing_is_queued_for_the_worker(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit("repair.reported", about=ALICE, payload={})
    assert OutboxEvent.objects.count() == 1  # it waits for the housing system to collect it
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


@pytest.mark.django_db
def test_with_a_webhook_the_worker_is_asked_to_send_it_once_it_commits(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    with django_capture_on_commit_callbacks(execute=False) as waiting, transaction.atomic():
        event = emit("repair.reported", about=ALICE, payload={})
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()  # not before the commit
    for callback in waiting:
        callback()
    queued = DBTaskResult.objects.get(task_path=TASK)
    assert event is not None and queued.args_kwargs["args"] == [event.pk]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time: a later event can never commit before an earlier one there",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_later_event_waits_for_an_earlier_one_to_commit_so_collecting_never_skips_one() -> None:
    """Without the turn, B (position 2) could commit while A (position 1) is still open; a
    reader that collected B would ask next for events after 2 and never see A."""
    a_written, a_may_commit, b_done = threading.Event(), threading.Event(), threading.Event()

    def a() -> None:
        try:
            with transaction.atomic():
                emit("repair.reported", about=About("A"), payload={})
                a_written.set()
                a_may_commit.wait(10)
        finally:
            connections.close_all()

    def b() -> None:
        try:
            a_written.wait(10)
            with transaction.atomic():
                emit("repair.reported", about=About("B"), payload={})
            b_done.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    try:
        assert a_written.wait(10)
        assert not b_done.wait(1)  # B waits for A's turn to end
        assert events_after(None, 10) == []  # nothing committed yet: nothing to pass over
    finally:
        a_may_commit.set()
        for thread in threads:
            thread.join(10)
    assert b_done.is_set()
    assert [event.about for event in events_after(None, 10)] == ["A", "B"]
