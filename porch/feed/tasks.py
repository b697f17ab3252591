"""The feed's work on the task worker: checking and previewing a batch, and applying it."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from porch.feed import pipeline
from porch.feed.models import FeedBatch

logger = logging.getLogger("porch.feed")


@task()
def feed_check(batch_id: int) -> None:
    try:
        pipeline.check(batch_id)
        if pipeline.applied_when_previewed(batch_id):
            feed_apply.enqueue(batch_id)
    except Exception:
        logger.exception("feed batch %s could not be checked", batch_id)
        _stopped(batch_id, FeedBatch.Status.REFUSED, "The file could not be checked because of an error on our side.")
        raise


@task()
def feed_apply(batch_id: int) -> None:
    try:
        pipeline.apply(batch_id)
    except Exception:
        logger.exception("feed batch %s stopped while applying", batch_id)
        _stopped(batch_id, FeedBatch.Status.FAILED, "Applying stopped because of an error on our side.")
        raise


def _stopped(batch_id: int, status: str, why: str) -> None:
    batch = FeedBatch.objects.filter(pk=batch_id).first()
    if batch is not None:
        where = f" Rows up to {batch.position} are applied; the rest can be applied again." if batch.position else ""
        FeedBatch.objects.filter(pk=batch_id).update(status=status, reason=why + where)


def check_later(batch_id: int) -> None:
    transaction.on_commit(lambda: feed_check.enqueue(batch_id))


def apply_later(batch_id: int) -> None:
    transaction.on_commit(lambda: feed_apply.enqueue(batch_id))
