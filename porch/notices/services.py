"""Writes to notices, and the record of reading them. Every one is audited as NOTICE."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.housing.models import Block, Estate, Patch
from porch.notices.access import may_post_to
from porch.notices.kinds import NOTICE
from porch.notices.models import Notice, Place


class AlreadyEnded(Exception):
    """The notice was already withdrawn, or is past its last day: nothing to withdraw."""


def notice_post(
    *,
    actor: Actor,
    place: Place,
    kind: str,
    title: str,
    body: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> Notice:
    """Post a notice to one block, estate or patch, once however many times the form is sent.
    The place must be one the actor may post to (the form offers only those; this is the wall)."""
    poster = actor.user_id
    if poster is None or not may_post_to(actor, place):
        raise PermissionDenied
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The last day must be the same as or after the first day")

    def create() -> Notice:
        notice = Notice.objects.create(
            block=place if isinstance(place, Block) else None,
            estate=place if isinstance(place, Estate) else None,
            patch=place if isinstance(place, Patch) else None,
            kind=kind,
            title=title,
            body=body,
            starts_on=starts_on,
            ends_on=ends_on,
            posted_by_id=poster,
            idempotency_key=idempotency_key,
        )
        record(actor=actor, action="create", object_type=NOTICE, object_id=notice.uuid, request=request)
        return notice

    return create_once(Notice.objects.filter(posted_by_id=poster), idempotency_key, create)


def notice_withdraw(*, actor: Actor, notice: Notice, request: HttpRequest | None = None) -> Notice:
    """Stop showing a notice now (or cancel one not yet started). Raises AlreadyEnded if it
    was already withdrawn or is past its last day."""
    if not may_post_to(actor, notice.place):
        raise PermissionDenied
    today = timezone.localdate()
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.withdrawn_at is not None or (locked.ends_on is not None and locked.ends_on < today):
            raise AlreadyEnded
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        record(
            actor=actor, action="update", object_type=NOTICE, object_id=locked.uuid, reason="withdrawn", request=request
        )
    notice.withdrawn_at = locked.withdrawn_at
    return notice


def notices_shown(*, actor: Actor, notices: Sequence[Notice], action: str = "list", request: HttpRequest) -> None:
    """One audit row per notice shown, with no subject: a notice is about a place, not a person.
    Nothing shown, nothing recorded: an event about no notice would cover no homes, and the
    exposure report would count it as served outside the access model."""
    if notices:
        record_many(
            actor=actor,
            action=action,
            object_type=NOTICE,
            seen=[Seen(object_id=notice.uuid) for notice in notices],
            request=request,
        )
