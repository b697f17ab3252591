"""Posting events to the housing management system's webhook, signed, retried, given up on.

The worker sends each event with its own task, queued when the event commits and again
after each failed try. A try first claims the event (one more try counted, and its next
try moved a little past the time a try can take, committed), then posts it, then records
what came back: a 2xx is delivered; anything else, no answer within
OUTBOX_WEBHOOK_TIMEOUT_SECONDS, or no connection is a failed try, tried again after
OUTBOX_RETRY_FIRST_SECONDS, then twice as long each time, until OUTBOX_MAX_ATTEMPTS tries
have failed and the outbox gives up (staff may send it again). A worker that dies mid-try
leaves the event due again once the claim runs out, and `manage.py outbox_deliver` (run
from cron) sends whatever is due: an event may arrive twice, never be marked delivered
without a 2xx, and the HMS drops a second copy by its id. See ADR 0019.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import logging
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from porch.outbox.models import OutboxEvent
from porch.outbox.pull import body

logger = logging.getLogger(__name__)

DELIVERED, RETRYING, GAVE_UP, SKIPPED, NO_WEBHOOK = "delivered", "retrying", "gave up", "skipped", "no webhook"
# However many tries are allowed, never wait longer than this between two.
LONGEST_WAIT = datetime.timedelta(hours=6)
# A claimed try holds its event this much longer than the timeout, so no second worker
# takes it while the first is still waiting for an answer.
CLAIM_MARGIN = datetime.timedelta(seconds=60)
State = OutboxEvent.State


class DeliveryFailed(Exception):
    """The HMS did not take the event. The message is short and safe to show staff."""


@task()
def outbox_event_send(event_id: int) -> str:
    """The worker's task for one try of one event."""
    return deliver(event_id)


def deliver(event_id: int, *, now: datetime.datetime | None = None) -> str:
    """One try, if the event is waiting and due (else it is left alone: SKIPPED)."""
    if not settings.OUTBOX_WEBHOOK_URL:
        return NO_WEBHOOK
    now = now or timezone.now()
    event = _claim(event_id, now)
    if event is None:
        return SKIPPED
    try:
        post(event)
    except DeliveryFailed as failure:
        logger.warning("Outbox event %s (%s), try %s, failed: %s", event.pk, event.topic, event.attempts, failure)
        return _failed(event, str(failure), now)
    OutboxEvent.objects.filter(pk=event.pk).exclude(state=State.DELIVERED).update(
        state=State.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return DELIVERED


def deliver_due(*, limit: int, now: datetime.datetime | None = None) -> Counter[str]:
    """Try every event due now, up to `limit`, the longest due first (`manage.py outbox_deliver`)."""
    now = now or timezone.now()
    due = OutboxEvent.objects.filter(state=State.WAITING, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    return Counter(deliver(pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))


def post(event: OutboxEvent) -> None:
    """POST the event's body, signed. Returns on a 2xx; raises DeliveryFailed otherwise."""
    url = settings.OUTBOX_WEBHOOK_URL
    if not url.startswith(("https://", "http://")):
        raise DeliveryFailed("The webhook address (OUTBOX_WEBHOOK_URL) must start with https://")
    data = body(event)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=data, headers=signed_headers(event, data, timezone.now()), method="POST"
    )
    timeout = settings.OUTBOX_WEBHOOK_TIMEOUT_SECONDS
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # 3xx (never followed), 4xx, 5xx
        error.close()
        raise DeliveryFailed(f"The housing system answered {error.code}") from None
    except TimeoutError:
        raise DeliveryFailed(f"No answer within {timeout} seconds") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise DeliveryFailed(f"No answer within {timeout} seconds") from None
        raise DeliveryFailed(f"Could not reach the housing system: {error.reason}"[:200]) from None
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"The connection failed: {error.__class__.__name__}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"The housing system answered {status}")


def signed_headers(event: OutboxEvent, data: bytes, at: datetime.datetime) -> dict[str, str]:
    """The event's id (the same on every try), when this try was signed, and the signature."""
    timestamp = str(int(at.timestamp()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Porch-Outbox/1",
        "Porch-Event-Id": str(event.uuid),
        "Porch-Event-Topic": event.topic,
        "Porch-Timestamp": timestamp,
        "Porch-Signature": signature(settings.OUTBOX_WEBHOOK_SECRET, timestamp, data),
    }


def signature(secret: str, timestamp: str, data: bytes) -> str:
    """HMAC-SHA256, keyed with the shared secret, over the timestamp, a full stop and the
    body's exact bytes, as lower-case hex after "sha256=". docs/outbox.md shows the HMS's check."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + data, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def wait_after(tries: int) -> datetime.timedelta:
    """The wait after the n-th failed try: the first wait, doubled each time, at most six hours."""
    doublings = min(tries - 1, 20)  # past twenty the cap has long applied; keeps the number small
    wait = datetime.timedelta(seconds=settings.OUTBOX_RETRY_FIRST_SECONDS * 2**doublings)
    return min(wait, LONGEST_WAIT)


def _claim(event_id: int, now: datetime.datetime) -> OutboxEvent | None:
    """Count one more try and hold the event while it is made; committed before the post."""
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, state=State.WAITING, next_attempt_at__lte=now)
            .first()
        )
        if event is None:
            return None
        event.attempts += 1
        event.next_attempt_at = now + datetime.timedelta(seconds=settings.OUTBOX_WEBHOOK_TIMEOUT_SECONDS) + CLAIM_MARGIN
        event.save(update_fields=["attempts", "next_attempt_at"])
    return event


def _failed(event: OutboxEvent, error: str, now: datetime.datetime) -> str:
    """Try again later, or give up after the last try. Only this try's own claim is
    recorded: if the claim ran out and another try has begun, that one's answer counts."""
    tries = event.attempts
    gave_up = tries >= settings.OUTBOX_MAX_ATTEMPTS
    retry_at = None if gave_up else max(now, timezone.now()) + wait_after(tries)
    with transaction.atomic():
        recorded = OutboxEvent.objects.filter(pk=event.pk, state=State.WAITING, attempts=tries).update(
            state=State.DEAD if gave_up else State.WAITING, next_attempt_at=retry_at, last_error=error[:200]
        )
        if not recorded:
            return SKIPPED
        if retry_at is not None:
            transaction.on_commit(lambda: outbox_event_send.using(run_after=retry_at).enqueue(event.pk))
    return GAVE_UP if gave_up else RETRYING


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed try, never followed: urllib would turn the POST into a GET
    without the body, and the GET's 200 would read as delivered."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
