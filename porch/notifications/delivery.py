"""Sending notifications from the task worker, with retries, and a status the resident and staff see.

Each delivery has its own task, queued when the notification commits and again after each
failed try. A try first claims the delivery (one more try counted, its next try moved past
the time a try can take, committed), then sends, then records what happened: sent; or a
failed try, tried again after NOTIFICATIONS_RETRY_FIRST_SECONDS and twice as long each time,
until NOTIFICATIONS_MAX_ATTEMPTS tries have failed and it shows as not sent. The address is
read from the housing record at each try, so a changed email gets it and a removed one
gets nothing ("no address"). The outbox (porch/outbox/delivery.py) works the same way.

Sign-up codes take `send_secret_once`: one try, never again, because the code is never stored
to send twice (ADR 0003); the row says a code was sent, never the code.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from porch.core import notify as outgoing
from porch.housing.models import Person
from porch.notifications.govuk_notify import NotifyError
from porch.notifications.kinds import REQUIRED, Channel, Kind
from porch.notifications.models import Delivery, Notification

logger = logging.getLogger(__name__)

SENT, RETRYING, FAILED, NO_ADDRESS, SKIPPED = "sent", "retrying", "failed", "no address", "skipped"
LONGEST_WAIT = datetime.timedelta(hours=6)
# A claimed try holds its delivery this long, so no second worker sends it meanwhile.
CLAIM = datetime.timedelta(minutes=2)
Status = Delivery.Status


def address(person: Person, channel: str) -> str:
    """Where a channel reaches the person: the email or mobile on the housing record."""
    return person.email if channel == Channel.EMAIL else person.mobile


def queue(delivery_ids: Iterable[int]) -> None:
    for delivery_id in delivery_ids:
        delivery_send.enqueue(delivery_id)


@task()
def delivery_send(delivery_id: int) -> str:
    """The worker's task for one try of one delivery."""
    return deliver(delivery_id)


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return SKIPPED
    notification = delivery.notification
    person = notification.person
    to = address(person, delivery.channel)
    if not to:
        Delivery.objects.filter(pk=delivery.pk).update(status=Status.NO_ADDRESS, next_try_at=None)
        return NO_ADDRESS
    subject, body = message(notification, delivery.channel)
    try:
        send(delivery.channel, to=to, subject=subject, body=body, is_test=person.is_test)
    except Exception as error:  # any failure of the mail server or provider is a failed try
        return _failed(delivery, safe_reason(error), now)
    Delivery.objects.filter(pk=delivery.pk, status=Status.WAITING).update(
        status=Status.SENT, sent_at=timezone.now(), next_try_at=None, last_error=""
    )
    return SENT


def deliver_due(*, limit: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """Try every delivery whose try is due, oldest first: what a task lost with a worker that
    died (or a queue emptied) would have sent. Each try claims its delivery first, so one the
    worker is sending at the same moment is skipped, never sent twice."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Status.WAITING, next_try_at__lte=now).order_by("next_try_at", "pk")
    outcome = {SENT: 0, RETRYING: 0, FAILED: 0, NO_ADDRESS: 0, SKIPPED: 0}
    for delivery_id in due.values_list("pk", flat=True)[:limit]:
        outcome[deliver(delivery_id, now=now)] += 1
    return outcome


def message(notification: Notification, channel: str) -> tuple[str, str]:
    """(subject, body): the notification's own words, the link, and where to change the choice."""
    lines = [notification.text]
    if notification.link:
        lines.append(outgoing.portal_link(notification.link))
    if notification.kind not in REQUIRED and channel == Channel.EMAIL:
        choices = outgoing.portal_link(reverse("notifications:choices"))
        lines.append(f"You can choose how {settings.LANDLORD_NAME} tells you about things: {choices}")
    return notification.subject, ("\n\n" if channel == Channel.EMAIL else " ").join(lines)


def send(channel: str, *, to: str, subject: str, body: str, is_test: bool) -> None:
    """Through porch.core.notify, so a test household's messages land in the test outbox."""
    if channel == Channel.EMAIL:
        outgoing.email(to=to, subject=subject, body=body, is_test=is_test)
    else:
        outgoing.text(to=to, body=body, is_test=is_test)


def safe_reason(error: Exception) -> str:
    """What staff may read about a failure: our provider's own short words, or the kind of
    error. Never the error's text, which may quote an address (an SMTP refusal does)."""
    return str(error)[:200] if isinstance(error, NotifyError) else error.__class__.__name__


def send_secret_once(*, person: Person, channel: str, subject: str, body: str, said: str) -> None:
    """Send a message that must not be stored (a sign-up code) once, and keep a required
    notification saying only `said`, with the delivery's status. A failure is recorded and
    raised, so the task fails visibly; it is never tried again."""
    with transaction.atomic():
        notification = Notification.objects.create(person=person, kind=Kind.ACCOUNT, subject=subject, text=said)
        delivery = Delivery.objects.create(notification=notification, channel=channel, attempts=1)
    try:
        send(channel, to=address(person, channel), subject=subject, body=body, is_test=person.is_test)
    except Exception as error:
        Delivery.objects.filter(pk=delivery.pk).update(status=Status.FAILED, last_error=safe_reason(error))
        raise
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.SENT, sent_at=timezone.now())


def wait_after(tries: int) -> datetime.timedelta:
    """The wait after the n-th failed try: the first wait, doubled each time, at most six hours."""
    wait = datetime.timedelta(seconds=settings.NOTIFICATIONS_RETRY_FIRST_SECONDS * 2 ** min(tries - 1, 20))
    return min(wait, LONGEST_WAIT)


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id, status=Status.WAITING, next_try_at__lte=now)
            .select_related("notification__person")
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_try_at = now + CLAIM
        delivery.save(update_fields=["attempts", "next_try_at"])
    return delivery


def _failed(delivery: Delivery, reason: str, now: datetime.datetime) -> str:
    tries = delivery.attempts
    logger.warning("Notification delivery %s (%s), try %s, failed: %s", delivery.pk, delivery.channel, tries, reason)
    gave_up = tries >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    retry_at = None if gave_up else max(now, timezone.now()) + wait_after(tries)
    with transaction.atomic():
        recorded = Delivery.objects.filter(pk=delivery.pk, status=Status.WAITING, attempts=tries).update(
            status=Status.FAILED if gave_up else Status.WAITING, next_try_at=retry_at, last_error=reason
        )
        if recorded and retry_at is not None:
            transaction.on_commit(lambda: delivery_send.using(run_after=retry_at).enqueue(delivery.pk))
    return FAILED if gave_up else RETRYING
