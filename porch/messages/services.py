"""Writes to messages, each atomic and audited, and the record of reading them.

A resident starts a thread (shared with the tenancy's account holders or private to them) for
the team its topic goes to; the resident and the team reply; a member of the team takes it or
gives it to a colleague, and marks it as needing no reply when the household's last word needs none.
A reply from staff tells each resident who can read the thread, in words that say nothing of it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.modules import Subject
from porch.core.uploads import CheckedFile
from porch.housing.models import Membership, Tenancy
from porch.messages.access import may_write, subjects_of
from porch.messages.kinds import MESSAGE_THREAD
from porch.messages.models import Message, Thread
from porch.messages.teams import TOPIC_TEAM
from porch.notifications.kinds import Kind
from porch.notifications.services import notify

TOLD_SUBJECT = "You have a new message from us"
TOLD_TEXT = "You have a new message from us. Sign in to read it."


@dataclass(frozen=True)
class NewThread:
    tenancy: Tenancy
    subject: str
    topic: str
    text: str
    about_reference: str = ""
    private: bool = False
    attachment: CheckedFile | None = None
    about: Subject | None = None


def thread_start(*, actor: Actor, new: NewThread, key: uuid.UUID, request: HttpRequest | None = None) -> Thread:
    """A resident's new thread about a home they hold, once however often the form is sent."""
    if actor.is_viewing_as or not actor.is_resident or new.tenancy.pk not in actor.tenancy_ids:
        raise PermissionDenied

    def create() -> Thread:
        now = timezone.now()
        thread = Thread.objects.create(
            tenancy=new.tenancy,
            private_to_id=actor.person_id if new.private else None,
            started_by_id=actor.person_id,
            subject=new.subject,
            topic=new.topic,
            about_reference=new.about_reference,
            about_kind=new.about.kind if new.about else "",
            about_code=new.about.code if new.about else "",
            team=TOPIC_TEAM[new.topic],
            started_at=now,
            last_at=now,
            idempotency_key=key,
            is_test=new.tenancy.is_test,
        )
        _message(thread, actor, new.text, new.attachment, at=now)
        _record_change(actor, thread, request, action="create")
        return thread

    # The starter's own threads: a joint tenant's key never answers with their private thread.
    return create_once(Thread.objects.filter(tenancy=new.tenancy, started_by_id=actor.person_id), key, create)


def message_send(
    *,
    actor: Actor,
    thread: Thread,
    text: str,
    key: uuid.UUID,
    attachment: CheckedFile | None = None,
    request: HttpRequest | None = None,
) -> Message:
    """A reply from the household or the team; one message however often it is sent. A reply
    from staff tells the residents who can read the thread."""
    if not may_write(actor, thread):
        raise PermissionDenied

    def create() -> Message:
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        message = _message(locked, actor, text, attachment, key=key)
        locked.last_at = message.at
        locked.awaiting_staff = actor.is_resident
        locked.save(update_fields=["last_at", "awaiting_staff"])
        if not actor.is_resident:
            tell_residents(locked)
        _record_change(actor, locked, request, reason="message sent")
        return message

    return create_once(Message.objects.filter(thread=thread), key, create)


def thread_assign(*, actor: Actor, thread: Thread, to_id: int, request: HttpRequest | None = None) -> bool:
    """Give the thread to a member of the team (the caller checks they are one: team_members),
    or to oneself. False if it was already theirs."""
    if actor.is_resident or not may_write(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.assigned_to_id == to_id:
            return False
        locked.assigned_to_id = to_id
        locked.save(update_fields=["assigned_to"])
        _record_change(actor, locked, request, reason="taken" if to_id == actor.user_id else "given to a colleague")
    return True


def thread_take(*, actor: Actor, thread: Thread, request: HttpRequest | None = None) -> bool:
    """A member of the team takes the thread as theirs. False if it was already theirs."""
    if actor.user_id is None:
        raise PermissionDenied
    return thread_assign(actor=actor, thread=thread, to_id=actor.user_id, request=request)


def thread_settle(*, actor: Actor, thread: Thread, request: HttpRequest | None = None) -> bool:
    """The team needs to write nothing more (the household said thank you). False if it was not
    waiting. The household's next message puts it back in the waiting list."""
    if actor.is_resident or not may_write(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        updated = Thread.objects.filter(pk=thread.pk, awaiting_staff=True).update(awaiting_staff=False)
        if updated:
            _record_change(actor, thread, request, reason="marked as needing no reply")
    return bool(updated)


def tell_residents(thread: Thread) -> None:
    """A notification to each resident who may read the thread: its owner if private, else each
    account holder holding the tenancy now since on or before the day it started. Inside the
    change's transaction: sent after the commit, never if the change rolls back."""
    holders = (
        Membership.objects.current()
        .account_holders()
        .filter(tenancy_id=thread.tenancy_id, start_date__lte=thread.started_at.date(), person__user__is_active=True)
        .select_related("person")
    )
    if thread.private_to_id is not None:
        holders = holders.filter(person_id=thread.private_to_id)
    link = reverse("messages:detail", args=[thread.uuid])
    for membership in holders:
        notify(person=membership.person, kind=Kind.MESSAGES, subject=TOLD_SUBJECT, text=TOLD_TEXT, link=link)


def threads_seen(actor: Actor, threads: Sequence[Thread], action: str, request: HttpRequest | None = None) -> None:
    """One audit row per person each thread is about. An empty list is a resident's look at
    their own (empty) list."""
    subjects = subjects_of(list(threads))
    seen = [Seen(t.uuid, subjects[t.pk] or [None], t.tenancy_id) for t in threads]
    if not seen and actor.is_resident:
        seen = [Seen("", [actor.person_id])]
    if seen:
        record_many(actor=actor, action=action, object_type=MESSAGE_THREAD, seen=seen, request=request)


def _message(
    thread: Thread,
    actor: Actor,
    text: str,
    attachment: CheckedFile | None,
    *,
    key: uuid.UUID | None = None,
    at: object = None,
) -> Message:
    message = Message(
        thread=thread,
        tenancy_id=thread.tenancy_id,
        kind=Message.Kind.RESIDENT if actor.is_resident else Message.Kind.STAFF,
        person_id=actor.person_id if actor.is_resident else None,
        by_id=actor.on_behalf_of_id or actor.user_id,
        text=text,
        published=True,
        idempotency_key=key,
    )
    if at is not None:
        message.at = at  # type: ignore[assignment]
    if attachment is not None:
        message.attachment_type = attachment.content_type
        message.attachment_size = attachment.size
        message.attachment.save(attachment.content.name or "upload", attachment.content, save=False)
    message.save()
    return message


def _record_change(
    actor: Actor, thread: Thread, request: HttpRequest | None, *, reason: str = "", action: str = "update"
) -> None:
    record(
        actor=actor,
        action=action,
        object_type=MESSAGE_THREAD,
        object_id=thread.uuid,
        subject_ids=subjects_of([thread])[thread.pk] or [None],
        tenancy_id=thread.tenancy_id,
        reason=reason,
        request=request,
    )
