"""A batch from arrival to applied: checked whole, previewed, approved if it is large, applied
in chunks that each commit with the batch's position, so a run stopped part-way (a worker
killed, a deploy) carries on where it stopped and nothing is counted or changed twice.

    received --check--> refused | previewed | waiting_approval --apply--> applying --> applied
                                                                            \\-> failed --apply again--> applying
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from porch.feed.effects import feed_actor
from porch.feed.entities import entity_for
from porch.feed.loading import REFUSED, Outcome, Run, load
from porch.feed.models import FeedBatch, FeedProblem
from porch.feed.reading import FileRefused, Row, rows, survey
from porch.housing.models import Tenancy

CHUNK = 5000
# How many of the changes the preview lists (the counts cover them all).
PREVIEW_LIST = 200
Status = FeedBatch.Status


def check(batch_id: int) -> None:
    """Read the file through (refusing a damaged one whole, finding the rows that repeat a
    reference), then preview it."""
    batch = FeedBatch.objects.get(pk=batch_id)
    if batch.status not in (Status.RECEIVED, Status.CHECKING):
        return
    FeedBatch.objects.filter(pk=batch.pk).update(status=Status.CHECKING)
    layout = entity_for(batch.entity).layout
    try:
        with batch.file.open("rb") as stream:
            found = survey(stream, batch.format, layout)
    except FileRefused as refused:
        FeedBatch.objects.filter(pk=batch.pk).update(status=Status.REFUSED, reason=str(refused))
        return
    FeedBatch.objects.filter(pk=batch.pk).update(rows=found.rows, repeats=found.repeats)
    preview(batch.pk)


def preview(batch_id: int) -> None:
    """Plan every row as applying would, by the same code, and write nothing: the counts,
    problems and changes that applying would give. Each chunk runs in a transaction that is
    rolled back all the same, so nothing a plan might do could be kept. Only a refusal that
    the database alone can see (a clash with a record's uniqueness the plan does not check)
    is found when applying, and not before."""
    batch = FeedBatch.objects.get(pk=batch_id)
    run = Run(batch_id=batch.pk, actor=feed_actor(None), dry_run=True, repeats=_repeats(batch))
    tally: Counter[str] = Counter()
    changes: list[dict[str, Any]] = []
    FeedProblem.objects.filter(batch=batch, stage=FeedProblem.Stage.PREVIEW).delete()
    for chunk in _chunks(batch, start=0):
        with transaction.atomic():
            outcomes = load(run, entity_for(batch.entity), chunk)
            transaction.set_rollback(True)
        _tally(tally, outcomes)
        _problems_save(batch, FeedProblem.Stage.PREVIEW, outcomes)
        changes += [_listed(o) for o in outcomes if o.note][: PREVIEW_LIST - len(changes)]
    summary = {**tally, "changes": changes, "current_tenancies": Tenancy.objects.current().count()}
    status = Status.WAITING_APPROVAL if needs_second_person(summary) else Status.PREVIEWED
    FeedBatch.objects.filter(pk=batch.pk).update(status=status, preview=summary, previewed_at=timezone.now())


def applied_when_previewed(batch_id: int) -> bool:
    """Start applying a previewed batch marked to be applied at once (not one waiting for a
    second person); whether it was started (the caller queues the work)."""
    with transaction.atomic():
        batch = FeedBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Status.PREVIEWED or not batch.apply_when_previewed:
            return False
        apply_start(batch, user_id=None)
        return True


def apply_start(batch: FeedBatch, *, user_id: int | None) -> None:
    """Mark a locked batch as applying; the caller queues the work (porch.feed.tasks.apply_later)."""
    batch.status = Status.APPLYING
    batch.reason = ""
    batch.applied_by_id = batch.applied_by_id or user_id
    batch.apply_started_at = batch.apply_started_at or timezone.now()
    batch.progress_at = timezone.now()
    batch.save(update_fields=["status", "reason", "applied_by", "apply_started_at", "progress_at"])


def needs_second_person(summary: dict[str, Any]) -> bool:
    """Whether applying would end more than the set share of current tenancies, or move more
    than the set number of people from one tenancy to another: then a second person decides."""
    ending, moving = int(summary.get("ends_tenancy", 0)), int(summary.get("moves_person", 0))
    share = ending / max(int(summary.get("current_tenancies", 0)), 1)
    return share > float(settings.FEED_MAX_ENDING_SHARE) or moving > int(settings.FEED_MAX_MOVES)


def apply(batch_id: int) -> None:
    """Apply the rows not yet applied, a chunk at a time, each chunk committing with the
    batch's position and counts. Safe to run twice at once: a chunk re-reads the batch under a
    lock and does nothing unless the batch is still where this run left it."""
    batch = FeedBatch.objects.get(pk=batch_id)
    if batch.status != Status.APPLYING:
        return
    run = Run(batch_id=batch.pk, actor=feed_actor(batch.applied_by_id), dry_run=False, repeats=_repeats(batch))
    position = batch.position
    for chunk in _chunks(batch, start=position):
        if not _apply_chunk(run, batch.pk, batch.entity, position, chunk):
            return  # another run has it, or it was stopped
        position += len(chunk)
    FeedBatch.objects.filter(pk=batch.pk, status=Status.APPLYING, position=position).update(
        status=Status.APPLIED, applied_at=timezone.now()
    )


def _apply_chunk(run: Run, batch_id: int, entity: str, position: int, chunk: list[Row]) -> bool:
    with transaction.atomic():
        batch = FeedBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Status.APPLYING or batch.position != position:
            return False
        outcomes = load(run, entity_for(entity), chunk)
        _problems_save(batch, FeedProblem.Stage.APPLY, outcomes)
        tally = Counter(outcome.result for outcome in outcomes)
        batch.position = position + len(chunk)
        batch.read += len(chunk)
        for result, number in tally.items():
            setattr(batch, result, getattr(batch, result) + number)
        batch.progress_at = timezone.now()
        fields = ["position", "progress_at", "read", "created", "changed", "unchanged", "refused", "held"]
        batch.save(update_fields=fields)
    return True


def _repeats(batch: FeedBatch) -> dict[int, int]:
    return {int(line): earlier for line, earlier in batch.repeats.items()}  # JSON keeps keys as text


def _chunks(batch: FeedBatch, *, start: int) -> Iterator[list[Row]]:
    layout = entity_for(batch.entity).layout
    with batch.file.open("rb") as stream:
        found = islice(rows(stream, batch.format, layout), start, None)
        while chunk := list(islice(found, CHUNK)):
            yield chunk


def _tally(tally: Counter[str], outcomes: list[Outcome]) -> None:
    tally["read"] += len(outcomes)
    tally.update(outcome.result for outcome in outcomes)
    tally["ends_tenancy"] += sum(outcome.ends_tenancy for outcome in outcomes)
    tally["moves_person"] += sum(outcome.moves_person for outcome in outcomes)


def _listed(outcome: Outcome) -> dict[str, Any]:
    return {"line": outcome.line, "result": outcome.result, "note": outcome.note}


def _problems_save(batch: FeedBatch, stage: str, outcomes: list[Outcome]) -> None:
    FeedProblem.objects.bulk_create(
        FeedProblem(batch=batch, stage=stage, line=o.line, field=o.field, why=o.why)
        for o in outcomes
        if o.result == REFUSED
    )
