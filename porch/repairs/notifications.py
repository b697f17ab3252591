"""Telling the person who reported a repair what has happened to it, the way they chose
when reporting it (email, text message, or not at all).

Sent by the task worker after the transaction commits (never if it rolls back). The task
carries the repair's id and what happened, never an address or a description: the worker
looks the person up, so nothing personal waits in the task table. A message names the
repair's reference and links to its page; what was done is read there, signed in."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from porch.core import notify
from porch.repairs.models import Repair

# What happened, in the words of the message.
HAPPENED = {
    "triaged": "has been checked by our repairs team",
    "updated": "has a new update from our repairs team",
    "booked": "has an appointment booked",
    "changed": "has had its appointment changed",
    "completed": "has been completed",
    "cancelled": "has been cancelled",
}


def tell_reporter(repair: Repair, what: str) -> None:
    """Queue a message to the reporter about this repair, if they asked for updates."""
    if what not in HAPPENED:
        raise ValueError(f"Unknown repair update {what!r}.")
    if repair.notify_by == Repair.NotifyBy.NONE or repair.reported_by_id is None:
        return
    transaction.on_commit(lambda: repair_update_send.enqueue(repair_id=repair.pk, what=what))


@task()
def repair_update_send(*, repair_id: int, what: str) -> None:
    repair = Repair.objects.select_related("reported_by", "tenancy").filter(pk=repair_id).first()
    if repair is None or repair.reported_by is None:
        return
    person = repair.reported_by
    is_test = bool(repair.tenancy and repair.tenancy.is_test)
    link = notify.portal_link(reverse("repairs:detail", args=[repair.uuid]))
    body = f"Your repair {repair.reference} {HAPPENED[what]}. See it at {link}"
    if repair.notify_by == Repair.NotifyBy.EMAIL and person.email:
        notify.email(to=person.email, subject=f"Repair {repair.reference}: an update", body=body, is_test=is_test)
    elif repair.notify_by == Repair.NotifyBy.SMS and person.mobile:
        notify.text(to=person.mobile, body=body, is_test=is_test)
