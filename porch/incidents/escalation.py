"""The escalation ladder: who is called about a privacy incident, when, and how they say "I have it".

When an incident opens, the whole ladder is written down at once as Notification rows:
the rota's rungs in order (rung 1 due now, each later rung ESCALATION_WAIT_MINUTES after
the one before), then INCIDENT_ALERT_EMAILS as the last rung. Each rung is emailed to
each person on it and, if a chat webhook is set, posted to the channel.

The task worker sends each row with its own task, at its due time. A row is claimed
(QUEUED -> SENDING, committed) before it is sent and marked SENT or FAILED after, so a
worker that dies mid-send leaves that one row SENDING, shown as "not confirmed" on the
incident, and never sends it again; the other rows' tasks are still waiting and a
restarted worker sends them. Acknowledging cancels everything still waiting.

Notifications carry no personal data: the reference, the times, and two links."""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Min
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from porch.accounts.models import User
from porch.core import rls
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.incidents.models import Incident, Notification, OnCallShift, TimelineEntry

logger = logging.getLogger(__name__)

ACKNOWLEDGE_SALT = "porch.incidents.acknowledge"


@dataclass(frozen=True)
class Callee:
    address: str
    user: User | None


@dataclass(frozen=True)
class Rung:
    callees: tuple[Callee, ...]
    label: str


def ladder_at(when: datetime.datetime) -> list[Rung]:
    """The rota's rungs on duty at that moment, in order, then the alert list as the last rung."""
    # Who is on call is the system's to know: behind the database wall the resident whose
    # report starts the ladder reads no staff member's account.
    with rls.as_system(connection):
        return _ladder_at(when)


def _ladder_at(when: datetime.datetime) -> list[Rung]:
    shifts = (
        OnCallShift.objects.filter(starts_at__lte=when, ends_at__gt=when, user__is_active=True)
        .select_related("user")
        .order_by("rung", "id")
    )
    rungs = []
    called: set[str] = set()
    for _, same_rung in groupby(shifts, key=lambda shift: shift.rung):
        people = {staff_email(shift.user).lower(): shift.user for shift in same_rung}
        callees = tuple(Callee(address, user) for address, user in people.items() if address not in called)
        if callees:
            called.update(callee.address for callee in callees)
            rungs.append(Rung(callees=callees, label=", ".join(callee.address for callee in callees)))
    alert_list = [address for address in settings.INCIDENT_ALERT_EMAILS if address.lower() not in called]
    if alert_list:
        rungs.append(Rung(callees=tuple(Callee(address, None) for address in alert_list), label="the alert list"))
    if not rungs:  # nobody on the rota and no alert list: never call nobody
        dpos = User.objects.filter(kind=User.Kind.STAFF, is_active=True, role_grants__role=StaffRole.DPO).distinct()
        callees = tuple(Callee(staff_email(user), user) for user in dpos.order_by("pk"))
        if callees:
            rungs.append(
                Rung(callees=callees, label="every Data Protection Officer (the rota and alert list are empty)")
            )
    return rungs


def staff_email(user: User) -> str:
    """Staff sign in with their work email address as their username."""
    return user.email or user.username


def escalation_start(incident_id: int) -> None:
    """Write the incident's ladder down (once, however often this is called) and queue each send."""
    wait = datetime.timedelta(minutes=settings.ESCALATION_WAIT_MINUTES)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.notifications.exists():
            return
        now = timezone.now()
        rows = []
        rungs = ladder_at(now)
        for number, rung in enumerate(rungs, start=1):
            due = now + wait * (number - 1)
            rows += [
                _row(incident, number, Notification.Channel.EMAIL, callee.address, callee.user, due)
                for callee in rung.callees
            ]
            if settings.INCIDENT_WEBHOOK_URL:
                rows.append(
                    _row(incident, number, Notification.Channel.WEBHOOK, settings.INCIDENT_WEBHOOK_URL, None, due)
                )
        Notification.objects.bulk_create(rows)
        _note(incident, _ladder_description(rungs))
        if not rows:
            logger.error("Nobody to call about %s: the rota is empty and INCIDENT_ALERT_EMAILS is unset", incident)
        queued = list(incident.notifications.values_list("pk", "due_at"))
        transaction.on_commit(lambda: _enqueue(queued))


def _row(
    incident: Incident, rung: int, channel: str, address: str, user: User | None, due: datetime.datetime
) -> Notification:
    return Notification(
        incident=incident,
        rung=rung,
        channel=channel,
        address=address,
        user=user,
        due_at=due,
        ack_nonce=secrets.token_hex(16),
    )


def _ladder_description(rungs: list[Rung]) -> str:
    if not rungs:
        return "NOBODY TO CALL: the on-call rota is empty and no alert list is set"
    steps = "; then ".join(f"{number}. {rung.label}" for number, rung in enumerate(rungs, start=1))
    return f"Escalation ladder, every {settings.ESCALATION_WAIT_MINUTES} minutes until acknowledged: {steps}"


def _enqueue(queued: list[tuple[int, datetime.datetime]]) -> None:
    for pk, due in queued:
        notification_send.using(run_after=due).enqueue(pk)


@task()
def notification_send(notification_id: int) -> str:
    """The worker's task for one row, run at its due time."""
    return deliver_one(notification_id, now=timezone.now())


def send_due(*, now: datetime.datetime) -> int:
    """Send every row due by `now`, as the worker would have: for a clock you control."""
    due = Notification.objects.filter(status=Notification.Status.QUEUED, due_at__lte=now).order_by("due_at", "id")
    return sum(deliver_one(pk, now=now) == Notification.Status.SENT for pk in due.values_list("pk", flat=True))


def deliver_one(
    notification_id: int, *, now: datetime.datetime, deliver: Callable[[Notification], None] | None = None
) -> str:
    """Claim, send, mark. Anything not claimable (sent, in doubt, cancelled, not due) is left alone."""
    notification = _claim(notification_id, now)
    if notification is None or notification.status != Notification.Status.SENDING:
        return notification.status if notification else "skipped"
    try:
        (deliver or _deliver)(notification)
    except OSError as error:  # the mail server or the chat endpoint refused it, or timed out
        logger.warning("Notification %s failed: %s", notification_id, error)
        _finish(notification, Notification.Status.FAILED, error=str(error)[:300] or error.__class__.__name__)
        return Notification.Status.FAILED
    _finish(notification, Notification.Status.SENT)
    return Notification.Status.SENT


def _claim(notification_id: int, now: datetime.datetime) -> Notification | None:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("incident", "user")
            .filter(pk=notification_id, status=Notification.Status.QUEUED, due_at__lte=now)
            .first()
        )
        if notification is None:
            return None
        incident = notification.incident
        if incident.acknowledged_at or incident.status == Incident.Status.CLOSED:
            notification.status = Notification.Status.CANCELLED
        else:
            notification.status = Notification.Status.SENDING
            notification.claimed_at = timezone.now()
        notification.save(update_fields=["status", "claimed_at"])
    return notification


def _finish(notification: Notification, status: str, *, error: str = "") -> None:
    sent_at = timezone.now() if status == Notification.Status.SENT else None
    Notification.objects.filter(pk=notification.pk).update(status=status, sent_at=sent_at, error=error)
    how = notification.get_channel_display().lower()
    outcome = "sent" if status == Notification.Status.SENT else f"FAILED ({error})"
    _note(notification.incident, f"Call {notification.rung} by {how} to {notification.shown_address}: {outcome}")


def _deliver(notification: Notification) -> None:
    if notification.channel == Notification.Channel.EMAIL:
        send_mail(_subject(notification.incident), message_text(notification), None, [notification.address])
    else:
        webhook_post(notification.address, webhook_payload(notification))


def _subject(incident: Incident) -> str:
    drill = "DRILL: " if incident.kind == Incident.Kind.DRILL else ""
    return f"{drill}URGENT privacy problem {incident.reference}: please acknowledge"


def message_text(notification: Notification) -> str:
    incident = notification.incident
    portal = settings.PORTAL_URL.rstrip("/")
    lines = [
        "THIS IS A DRILL: a rehearsal, not a real incident. Please act as you would for real."
        if incident.kind == Incident.Kind.DRILL
        else f"A privacy problem was reported at {timezone.localtime(incident.aware_at):%H:%M on %d %b %Y}.",
        f"Incident {incident.reference}. You are call {notification.rung} on the on-call ladder.",
        "",
        f"Acknowledge it (one click): {portal}{acknowledge_path(notification)}",
        f"If nobody does within {settings.ESCALATION_WAIT_MINUTES} minutes, the next person is called.",
        "",
        f"Open the incident (sign-in needed): {portal}{reverse('incidents:incident', args=[incident.uuid])}",
        f"The ICO must be told by {timezone.localtime(incident.ico_deadline):%H:%M on %d %b %Y} if it is a breach.",
    ]
    return "\n".join(lines)


def webhook_payload(notification: Notification) -> dict[str, str]:
    """Slack, Teams and Mattermost incoming webhooks all show "text"; the rest is for automation."""
    return {
        "text": f"{_subject(notification.incident)}\n{message_text(notification)}",
        "incident": notification.incident.reference,
        "call": str(notification.rung),
        "acknowledge_url": f"{settings.PORTAL_URL.rstrip('/')}{acknowledge_path(notification)}",
    }


def webhook_post(url: str, payload: dict[str, str]) -> None:
    if not url.startswith(("https://", "http://")):
        raise OSError("The chat webhook address must start with https://")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (scheme checked above)
        if not 200 <= response.status < 300:
            raise OSError(f"The chat webhook answered {response.status}")


# --- Acknowledging ----------------------------------------------------------------


def acknowledge_path(notification: Notification) -> str:
    token = signing.TimestampSigner(salt=ACKNOWLEDGE_SALT).sign(notification.ack_nonce)
    return reverse("incidents:acknowledge", args=[token])


def notification_for_token(token: str) -> Notification | None:
    """The notification a link was sent in, if the link is genuine and not expired (used or not)."""
    try:
        nonce = signing.TimestampSigner(salt=ACKNOWLEDGE_SALT).unsign(
            token, max_age=datetime.timedelta(hours=settings.ACKNOWLEDGE_LINK_HOURS)
        )
    except signing.BadSignature:  # forged, altered or expired
        return None
    return Notification.objects.select_related("incident", "user").filter(ack_nonce=nonce).first()


def acknowledge_by_link(notification: Notification) -> bool:
    """Use the link (once). The person it was sent to acknowledges the incident, unless
    someone already has. False if this link was used before."""
    with transaction.atomic():
        used = Notification.objects.filter(pk=notification.pk, ack_used_at__isnull=True).update(
            ack_used_at=timezone.now()
        )
        if not used:
            return False
        how = f"the {notification.get_channel_display().lower()} link of call {notification.rung}"
        _acknowledge(notification.incident, notification.user, f"{how} ({notification.shown_address})")
    return True


def incident_acknowledge(*, actor: Actor, incident: Incident) -> None:
    """A signed-in responder acknowledges from the incident page."""
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    _acknowledge(incident, user, "the incident page")


def _acknowledge(incident: Incident, user: User | None, how: str) -> None:
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == Incident.Status.CLOSED:
            return
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.acknowledged_by = user
            if locked.status == Incident.Status.REPORTED:
                locked.status = Incident.Status.ACKNOWLEDGED
            locked.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
            cancelled = locked.notifications.filter(status=Notification.Status.QUEUED).update(
                status=Notification.Status.CANCELLED
            )
            who = user.username if user else "someone on the alert list"
            _note(locked, f"Acknowledged by {who} through {how}; {cancelled} later calls cancelled", user)
        else:
            _note(locked, f"Acknowledged again through {how}", user)


def first_sent_at(incident: Incident) -> datetime.datetime | None:
    sent = incident.notifications.filter(status=Notification.Status.SENT).aggregate(first=Min("sent_at"))
    first: datetime.datetime | None = sent["first"]
    return first


def _note(incident: Incident, what: str, user: User | None = None) -> None:
    TimelineEntry.objects.create(incident=incident, actor=user, what=what[:500])
