"""Delivery to a real webhook on 127.0.0.1, by the real task worker (`manage.py db_worker`).

The worker commits between tasks, as in production, so the worker tests run outside the
usual per-test transaction. Retries wait OUTBOX_RETRY_FIRST_SECONDS; here it is 0, so a
failed try's next try is due at once and the same worker run makes it."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from porch.outbox import delivery
from porch.outbox.models import OutboxEvent
from porch.outbox.pull import as_json
from porch.outbox.services import About, emit

from .hms import SECRET, Hms, hms_server

worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def hms(settings: Any) -> Iterator[Hms]:
    with hms_server() as server:
        settings.OUTBOX_WEBHOOK_URL = server.url
        settings.OUTBOX_WEBHOOK_SECRET = SECRET
        settings.OUTBOX_RETRY_FIRST_SECONDS = 0
        settings.OUTBOX_MAX_ATTEMPTS = 3
        settings.OUTBOX_WEBHOOK_TIMEOUT_SECONDS = 1
        yield server


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def emitted(about: str = "T0001", **payload: Any) -> OutboxEvent:
    """An event emitted as a module would, committed (so its send is queued)."""
    with transaction.atomic():
        event = emit("repair.reported", about=About(about, [None]), payload=payload or {"reference": "RABCDEFG"})
    assert event is not None
    return OutboxEvent.objects.get(pk=event.pk)


@worker_test
def test_the_worker_posts_the_event_signed_with_the_shared_secret(hms: Hms) -> None:
    event = emitted(description="Tap drips, café ceiling wet")
    run_worker()
    [post] = hms.posts()
    assert post.path == "/porch/events?token=t0ken"
    assert post.headers["Content-Type"] == "application/json; charset=utf-8"
    assert post.headers["Porch-Event-Id"] == str(event.uuid)
    assert post.headers["Porch-Event-Topic"] == "repair.reported"
    assert post.signed_with(SECRET)
    assert not post.signed_with(SECRET + "x")  # the check can fail: it is not a formality
    assert abs(int(post.headers["Porch-Timestamp"]) - timezone.now().timestamp()) < 60
    assert post.json() == as_json(event)  # the same body the pull API serves
    assert post.json()["payload"]["description"] == "Tap drips, café ceiling wet"
    event.refresh_from_db()
    assert event.state == OutboxEvent.State.DELIVERED and event.attempts == 1 and event.last_error == ""
    assert event.delivered_at is not None and event.next_attempt_at is None


@worker_test
def test_a_500_then_a_200_is_delivered_on_the_second_try_with_the_same_id(hms: Hms) -> None:
    hms.answers = [500]
    event = emitted()
    run_worker()
    first, second = hms.posts()
    assert first.headers["Porch-Event-Id"] == second.headers["Porch-Event-Id"] == str(event.uuid)
    assert first.body == second.body  # the same bytes each time; only the timestamp and signature move
    assert first.signed_with(SECRET) and second.signed_with(SECRET)
    event.refresh_from_db()
    assert (event.state, event.attempts, event.last_error) == ("delivered", 2, "")


@worker_test
def test_after_the_last_failed_try_the_outbox_gives_up_and_says_why(hms: Hms) -> None:
    hms.then = 503
    event = emitted()
    run_worker()
    assert len(hms.posts()) == 3  # OUTBOX_MAX_ATTEMPTS
    event.refresh_from_db()
    assert event.state == OutboxEvent.State.DEAD and event.attempts == 3
    assert event.last_error == "The housing system answered 503" and event.next_attempt_at is None
    run_worker()
    assert len(hms.posts()) == 3  # given up: no more tries
    assert "t0ken" not in event.last_error


def test_a_failed_try_waits_twice_as_long_as_the_one_before(settings: Any) -> None:
    settings.OUTBOX_RETRY_FIRST_SECONDS = 60
    waits = [delivery.wait_after(tries) for tries in range(1, 9)]
    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32, 64, 128]
    assert delivery.wait_after(40) == datetime.timedelta(hours=6)  # never longer than six hours


@worker_test
def test_a_failed_try_is_tried_again_when_its_wait_is_over(hms: Hms, settings: Any) -> None:
    settings.OUTBOX_RETRY_FIRST_SECONDS = 600
    hms.answers = [502]
    event = emitted()
    run_worker()
    assert len(hms.posts()) == 1
    event.refresh_from_db()
    assert event.state == "waiting" and event.last_error == "The housing system answered 502"
    assert event.next_attempt_at is not None
    assert datetime.timedelta(seconds=590) < event.next_attempt_at - timezone.now() <= datetime.timedelta(seconds=600)
    later = DBTaskResult.objects.get(status="READY")
    assert later.run_after == event.next_attempt_at  # the worker is asked to try again then
    # Ten minutes on: the wait is over.
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now())
    run_worker()
    event.refresh_from_db()
    assert event.state == "delivered" and len(hms.posts()) == 2


@worker_test
def test_no_answer_in_time_is_a_failed_try(hms: Hms, settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 1
    hms.delay = 2.5  # the portal waits 1 second
    event = emitted()
    run_worker()
    event.refresh_from_db()
    assert event.state == "dead" and event.last_error == "No answer within 1 seconds"


@worker_test
def test_a_redirect_is_a_failed_try_never_followed(hms: Hms, settings: Any) -> None:
    """urllib would follow a 302 with a GET, whose 200 would read as delivered."""
    settings.OUTBOX_MAX_ATTEMPTS = 1
    hms.then, hms.redirect_to = 302, "/elsewhere"
    event = emitted()
    run_worker()
    event.refresh_from_db()
    assert event.state == "dead" and event.last_error == "The housing system answered 302"
    assert [request.method for request in hms.received] == ["POST"]


@worker_test
def test_nobody_listening_is_a_failed_try(settings: Any) -> None:
    with hms_server() as gone:
        url = gone.url
    settings.OUTBOX_WEBHOOK_URL, settings.OUTBOX_WEBHOOK_SECRET = url, SECRET
    settings.OUTBOX_RETRY_FIRST_SECONDS, settings.OUTBOX_MAX_ATTEMPTS = 0, 2
    event = emitted()
    run_worker()
    event.refresh_from_db()
    assert event.state == "dead" and event.attempts == 2
    assert event.last_error.startswith("Could not reach the housing system: ")
    assert "Connection refused" in event.last_error and "t0ken" not in event.last_error


@pytest.mark.django_db
def test_a_try_already_in_hand_is_not_made_again_at_the_same_time(hms: Hms) -> None:
    """Two workers given the same event at once (a task run twice, the cron safety net):
    the second finds it claimed and leaves it alone."""
    with transaction.atomic():
        event = emit("repair.reported", about=About("T0001"), payload={})
    assert event is not None
    now = timezone.now()
    claimed = delivery._claim(event.pk, now)  # the first worker, waiting for its answer
    assert claimed is not None
    assert delivery.deliver(event.pk, now=now) == delivery.SKIPPED
    assert hms.posts() == []
    # The first worker's answer comes back: delivered once.
    delivery.post(claimed)
    assert len(hms.posts()) == 1


@pytest.mark.django_db
def test_a_late_failure_never_overwrites_a_newer_try(hms: Hms) -> None:
    """A try whose claim ran out (its worker stalled) and failed afterwards records nothing:
    the newer try that took the event over decides."""
    with transaction.atomic():
        event = emit("repair.reported", about=About("T0001"), payload={})
    assert event is not None
    now = timezone.now()
    stalled = delivery._claim(event.pk, now)
    assert stalled is not None
    later = now + datetime.timedelta(minutes=5)  # its claim has run out
    assert delivery.deliver(event.pk, now=later) == delivery.DELIVERED
    assert delivery._failed(stalled, "The housing system answered 500", later) == delivery.SKIPPED
    event.refresh_from_db()
    assert event.state == "delivered" and event.last_error == "" and event.attempts == 2


@worker_test
def test_outbox_deliver_sends_whatever_is_due_after_the_worker_was_down(hms: Hms, capsys: Any) -> None:
    first, second = emitted("T0001"), emitted("T0002")
    DBTaskResult.objects.all().delete()  # the worker's queue was lost
    call_command("outbox_deliver")
    assert "Delivered 2," in capsys.readouterr().out
    assert [post.headers["Porch-Event-Id"] for post in hms.posts()] == [str(first.uuid), str(second.uuid)]
    call_command("outbox_deliver")
    assert "Delivered 0," in capsys.readouterr().out and len(hms.posts()) == 2


@pytest.mark.django_db
def test_outbox_deliver_says_so_when_no_webhook_is_set(settings: Any, capsys: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    call_command("outbox_deliver")
    assert "No webhook is set" in capsys.readouterr().out


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    """The worked example in docs/outbox.md, so the HMS's developers can check their code. The
    answer was worked out apart from this code: printf '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac secret"""
    body = json.dumps({"id": "x"}, separators=(",", ":")).encode()
    assert delivery.signature("secret", "1700000000", body) == (
        "sha256=2f7852138f9dbd8d61c07c2cfb0b8ac96a46a32d78d4527788fb42fcb409a493"
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time: two claims cannot even overlap there"
)
@worker_test
def test_two_workers_sending_the_same_event_at_once_post_it_once(hms: Hms) -> None:
    hms.delay = 0.5  # both ask while the first is still waiting for its answer
    with transaction.atomic():
        event = emit("repair.reported", about=About("T0001"), payload={})
    assert event is not None
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait(5)
            outcomes.append(delivery.deliver(event.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == [delivery.DELIVERED, delivery.SKIPPED]
    assert len(hms.posts()) == 1
