"""Telling residents things: `notify()` for every module, and the resident's choices.

A module calls notify() inside the transaction that made the change. It writes the
notification (the resident's list shows it at once) and one delivery per channel the
resident wants and we have an address for; the task worker sends each once the
transaction commits, never if it rolls back (porch/notifications/delivery.py). Nothing
personal goes in the task table: the worker reads the address from the housing record.

The words are the caller's and must carry nothing personal: what kind of thing happened
and where to read it, never what it says ("There is an update on your repair. Sign in to
read it."). The message adds the link and, for choosable kinds, where to change the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.housing.models import Person
from porch.notifications.delivery import address, queue
from porch.notifications.kinds import CHOOSABLE, CONTACT_CHOICES, NOTIFICATION, REQUIRED, Channel, Kind
from porch.notifications.models import Delivery, Notification, Preference


def notify(
    *,
    person: Person,
    kind: Kind,
    subject: str,
    text: str,
    link: str = "",
    in_portal_only: bool = False,
    hidden_during_view_as: bool = False,
) -> Notification:
    """Tell one resident something happened. `link` is a path in the portal. `in_portal_only`:
    the caller already told them another way they chose (a repair's reporter), so only the list
    shows it. `hidden_during_view_as`: staff viewing as the resident must not learn it exists."""
    notification = Notification.objects.create(
        person=person, kind=kind, subject=subject, text=text, link=link, hidden_during_view_as=hidden_during_view_as
    )
    channels = () if in_portal_only else channels_for(person, kind)
    now = timezone.now()
    ids = [
        Delivery.objects.create(notification=notification, channel=channel, next_try_at=now).pk for channel in channels
    ]
    if ids:
        transaction.on_commit(lambda: queue(ids))
    return notification


def channels_for(person: Person, kind: Kind) -> list[Channel]:
    """The channels this kind goes by to this person: those we have an address for, and for a
    choosable kind those they have not turned off. Required kinds go by every one we can."""
    known = [channel for channel in Channel if address(person, channel)]
    if kind in REQUIRED:
        return known
    chosen = choices_of(person)
    return [channel for channel in known if chosen[(kind, channel)]]


def choices_of(person: Person) -> dict[tuple[str, str], bool]:
    """Every choosable (kind, channel): stored choices over the defaults (email on if we have an
    address, text on if we have a mobile number)."""
    defaults = {Channel.EMAIL: bool(person.email), Channel.SMS: bool(person.mobile)}
    chosen = {(kind.value, channel.value): defaults[channel] for kind in CHOOSABLE for channel in Channel}
    for kind, channel, enabled in Preference.objects.filter(person=person).values_list("kind", "channel", "enabled"):
        chosen[(kind, channel)] = enabled
    return chosen


def choices_shown(*, actor: Actor, person: Person, request: HttpRequest) -> None:
    record(
        actor=actor,
        action="view",
        object_type=CONTACT_CHOICES,
        object_id=person.uuid,
        subject_ids=[person.pk],
        request=request,
    )


def choices_change(*, actor: Actor, person: Person, wanted: dict[str, Iterable[str]], request: HttpRequest) -> None:
    """Store what the resident ticked: for each channel, the kinds they want by it. Sending the
    same form twice stores the same choices (one row per kind and channel), so nothing doubles."""
    with transaction.atomic():
        for channel in Channel:
            ticked = set(wanted.get(channel, ()))
            for kind in CHOOSABLE:
                Preference.objects.update_or_create(
                    person=person, kind=kind, channel=channel, defaults={"enabled": kind in ticked}
                )
        record(
            actor=actor,
            action="change",
            object_type=CONTACT_CHOICES,
            object_id=person.uuid,
            subject_ids=[person.pk],
            request=request,
        )


def notifications_shown(*, actor: Actor, notifications: Sequence[Notification], request: HttpRequest | None) -> None:
    """One audit row per notification read, and those unread marked read. Not while staff view
    as the resident: that is reading only, and the resident has not seen them."""
    record_many(
        actor=actor,
        action="list",
        object_type=NOTIFICATION,
        seen=[Seen(object_id=item.uuid, subject_ids=[item.person_id]) for item in notifications],
        request=request,
    )
    unread = [item.pk for item in notifications if item.read_at is None]
    if unread and not actor.is_viewing_as:
        Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
