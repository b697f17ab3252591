"""Telling the person who reported a repair what has happened to it, the way they chose
when reporting it (email, text message, or not at all).

Sent by the task worker after the transaction commits (never if it rolls back). The task
carries the repair's id and what happened, never an address or a description: the worker
looks the person up, so nothing personal waits in the task table. A message names the
repair's reference and links to its page; what was done is read there, signed in.

Every account holder of the home who may see the repair is also told through the notification
service (porch.notifications, ADR 0029): on their notifications page, and by email or text as
they chose there. The reporter, who chose how to hear about this repair when reporting it,
gets that message as before and the notification on their page only, never both messages.
A shared area's repair tells nobody but its reporter: a whole block is too many people to
tell of every visit."""

from __future__ import annotations

from django.db import connection, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from porch.core import notify, rls
from porch.housing.models import Membership
from porch.notifications.kinds import Kind
from porch.notifications.services import notify as notify_resident
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
    tell_household(repair)
    if repair.notify_by == Repair.NotifyBy.NONE or repair.reported_by_id is None:
        return
    transaction.on_commit(lambda: repair_update_send.enqueue(repair_id=repair.pk, what=what))


def tell_household(repair: Repair) -> None:
    """A notification, with no detail, to each account holder of the home who may see the repair
    (holding the tenancy now, with an account, since on or before the day it was reported)."""
    if repair.tenancy_id is None:
        return
    holders = (
        Membership.objects.current()
        .account_holders()
        .filter(
            tenancy_id=repair.tenancy_id,
            start_date__lte=timezone.localdate(repair.reported_at),
            person__user__is_active=True,
        )
        .select_related("person")
    )
    told_already = repair.reported_by_id if repair.notify_by != Repair.NotifyBy.NONE else None
    link = reverse("repairs:detail", args=[repair.uuid])
    # Who to tell, and how each asked to be told, is the system's to know: behind the database
    # wall a contractor whose work prompts the notice reads no household's rows.
    with rls.as_system(connection):
        for membership in holders:
            notify_resident(
                person=membership.person,
                kind=Kind.REPAIRS,
                subject="There is an update on your repair",
                text="There is an update on a repair to your home. Sign in to read it.",
                link=link,
                in_portal_only=membership.person_id == told_already,
            )


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
