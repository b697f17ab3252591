"""What staff and the housing system's connection do with batches: send one in, apply it
(or ask a second person to, when it is large), withdraw it, and decide about a held person."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.approvals import Target, change_propose
from porch.core.modules import ApprovalKind, ApprovalRefused
from porch.feed import pipeline, tasks
from porch.feed.models import FeedBatch, HeldPerson
from porch.housing.models import Person
from porch.rollout.approvals import proposals_withdraw

Status = FeedBatch.Status
# An applying batch with no chunk committed for this long has lost its worker: it may be restarted.
STALLED_AFTER = datetime.timedelta(minutes=10)
# Neither being checked or applied, nor done: a batch in any of these may be withdrawn.
WITHDRAWABLE = (Status.PREVIEWED, Status.WAITING_APPROVAL, Status.REFUSED, Status.FAILED)


class CannotApply(Exception):
    """Said to the person who asked, in plain English."""


@dataclass(frozen=True)
class BatchTarget(Target):
    batch: uuid.UUID


def batch_receive(
    *,
    entity: str,
    fmt: str,
    filename: str,
    stream: IO[bytes],
    source: str,
    received_by: int | None = None,
    sent_by_system: str = "",
    key: str = "",
    apply_when_previewed: bool = False,
) -> FeedBatch:
    """Keep the file and queue its check. The same file (or the same key) sent again is the
    batch already made: an upload sent twice, or a connection's retry, makes one batch.
    A connection trusted to apply has its batch marked to be applied once previewed."""
    digest, size = _digest(stream)
    key = key or hashlib.sha256(f"{entity}\n{digest}\n{filename}".encode()).hexdigest()
    existing = FeedBatch.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    batch = FeedBatch(
        entity=entity,
        format=fmt,
        source=source,
        filename=filename[:200],
        size=size,
        sha256=digest,
        idempotency_key=key,
        received_by_id=received_by,
        sent_by_system=sent_by_system,
        apply_when_previewed=apply_when_previewed,
    )
    stream.seek(0)
    batch.file.save(f"{uuid.uuid4()}.{fmt}", File(stream), save=False)
    try:
        with transaction.atomic():
            batch.save()
            tasks.check_later(batch.pk)
    except IntegrityError:
        batch.file.delete(save=False)
        return FeedBatch.objects.get(idempotency_key=key)
    return batch


def batch_upload(
    *, actor: Actor, entity: str, fmt: str, filename: str, stream: IO[bytes], request: HttpRequest | None = None
) -> tuple[FeedBatch, bool]:
    """A file a staff member uploads: received as any batch is (the same file sent twice is the
    one batch), its arrival on the record. The batch, and whether this upload made it."""
    since = timezone.now()
    with transaction.atomic():
        batch = batch_receive(
            entity=entity,
            fmt=fmt,
            filename=filename,
            stream=stream,
            source=FeedBatch.Source.UPLOAD,
            received_by=actor.user_id,
        )
        made = batch.received_at >= since
        if made:
            record(
                actor=actor,
                action="create",
                object_type="feed_batch",
                object_id=batch.uuid,
                reason=f"uploaded: {entity}",
                request=request,
            )
    return batch, made


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def batch_apply(*, actor: Actor, batch: FeedBatch, request: HttpRequest | None = None) -> str:
    """Apply a previewed batch, or carry on with one that stopped; a large one is proposed for
    a second person's approval instead. Says what happened, for the page."""
    with transaction.atomic():
        locked = FeedBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == Status.WAITING_APPROVAL:
            _propose(actor, locked, request)
            return "This batch is large, so a second person must approve it. They will find it with the other changes waiting for approval."
        if not may_start(locked):
            raise CannotApply("This batch cannot be applied now: " + locked.get_status_display().lower() + ".")
        pipeline.apply_start(locked, user_id=actor.user_id)
        tasks.apply_later(locked.pk)
        record(
            actor=actor,
            action="update",
            object_type="feed_batch",
            object_id=locked.uuid,
            reason="applied",
            request=request,
        )
    return "The batch is being applied. This page shows how far it has got."


def may_withdraw(batch: FeedBatch) -> bool:
    return batch.status in WITHDRAWABLE


def may_start(batch: FeedBatch) -> bool:
    """Whether Apply would start this batch now, or carry on with one that stopped (its page asks too)."""
    if batch.status in (Status.PREVIEWED, Status.FAILED):
        return True
    stalled = batch.progress_at or batch.apply_started_at
    return batch.status == Status.APPLYING and stalled is not None and stalled < timezone.now() - STALLED_AFTER


def _propose(actor: Actor, batch: FeedBatch, request: HttpRequest | None) -> None:
    ending = batch.preview.get("ends_tenancy", 0)
    moving = batch.preview.get("moves_person", 0)
    change_propose(
        actor=actor,
        kind=APPLY_LARGE_BATCH,
        target=BatchTarget(batch.uuid),
        before=f"Housing record batch {batch.filename} ({batch.entity}) not applied",
        after=f"Applied: ends {ending} current tenancies and moves {moving} people between tenancies",
        reason="Over the feed's limits for one batch",
        request=request,
    )


def _approved_apply(target: str, approver: object) -> None:
    batch = FeedBatch.objects.select_for_update().filter(uuid=BatchTarget.parse(target).batch).first()
    if batch is None or batch.status != Status.WAITING_APPROVAL:
        raise ApprovalRefused("This batch is no longer waiting to be applied.")
    pipeline.apply_start(batch, user_id=getattr(approver, "user_id", None))
    tasks.apply_later(batch.pk)


APPLY_LARGE_BATCH = ApprovalKind("feed_apply_large_batch", "Apply a large housing record batch", apply=_approved_apply)


def batch_withdraw(*, actor: Actor, batch: FeedBatch, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        locked = FeedBatch.objects.select_for_update().get(pk=batch.pk)
        if not may_withdraw(locked):
            raise CannotApply("Only a batch that is not being applied can be withdrawn.")
        locked.status = Status.WITHDRAWN
        # The same file may be sent again to start over: it makes a new batch, not this one.
        locked.idempotency_key = f"withdrawn:{uuid.uuid4().hex}"
        locked.save(update_fields=["status", "idempotency_key"])
        proposals_withdraw(kind=APPLY_LARGE_BATCH, target=BatchTarget(locked.uuid))
        record(
            actor=actor,
            action="update",
            object_type="feed_batch",
            object_id=locked.uuid,
            reason="withdrawn",
            request=request,
        )


def held_person_decide(*, actor: Actor, held: HeldPerson, add: bool, request: HttpRequest | None = None) -> None:
    """Staff say whether a held person is someone new (added, as the housing system has them)
    or the same as the person they look like (left out: the housing system is put right)."""
    with transaction.atomic():
        locked = HeldPerson.objects.select_for_update().get(pk=held.pk)
        if locked.decision != HeldPerson.Decision.WAITING:
            raise CannotApply("Someone has already decided about this person.")
        person = _person_from(actor, locked) if add else None
        locked.decision = HeldPerson.Decision.ADDED if add else HeldPerson.Decision.LEFT_OUT
        locked.decided_by_id, locked.decided_at = actor.user_id, timezone.now()
        locked.save(update_fields=["decision", "decided_by", "decided_at"])
        subjects = [locked.looks_like_id, *([person.pk] if person else [])]
        reason = f"held person {locked.housing_reference}: {locked.get_decision_display().lower()}"
        record(
            actor=actor,
            action="update",
            object_type="person",
            object_id=locked.uuid,
            subject_ids=subjects,
            reason=reason,
            request=request,
        )


def _person_from(actor: Actor, held: HeldPerson) -> Person:
    if Person.objects.filter(housing_reference=held.housing_reference).exists():
        raise CannotApply("A person with this reference is already here.")
    person = Person(
        housing_reference=held.housing_reference,
        first_name=held.first_name,
        last_name=held.last_name,
        date_of_birth=held.date_of_birth,
    )
    person.save()
    reason = f"added from the housing system's batch {held.batch_id}, line {held.line}, once staff decided"
    record(
        actor=actor,
        action="create",
        object_type="person",
        object_id=person.uuid,
        subject_ids=[person.pk],
        reason=reason,
    )
    return person
