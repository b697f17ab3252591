"""The outbox: what the housing management system (HMS) must hear about, one row per event.

A module writes an event in the same transaction as the change it tells of
(porch.outbox.services.emit), so a change that rolls back tells nothing and a change that
commits is never lost. The task worker then posts it to the HMS's webhook, and the HMS may
also collect events in order by position (porch.outbox.pull). See ADR 0019.

The outbox sits beside the audit log, below the housing record, so it names the people an
event is about by id (subject_ids) rather than by a key into the housing app.
"""

from __future__ import annotations

from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEvent(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Gave up"

    # The id is the event's position: the order the HMS collects events in (pull.events_after).
    id = models.BigAutoField(primary_key=True)
    # The event's own id, the same on every try: the HMS drops an id it has seen.
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    topic = models.CharField(max_length=64)  # "repair.reported", "details_change.approved"
    # The HMS's reference for what the event is about: a person's housing reference, a
    # tenancy reference, a repair's reference.
    about = models.CharField(max_length=64)
    payload = models.JSONField()
    # The people whose data the payload carries, when it was written: who a look at it is
    # recorded against in the audit log.
    subject_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    attempts = models.PositiveIntegerField(default=0)
    # While waiting: when the next try is due (a try in hand holds it a little ahead, so no
    # second worker takes it). Delivered or given up: none.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # What went wrong last time, in a few words: the status code or the kind of failure,
    # never the answer's body or the address (which may carry a token).
    last_error = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The worker and `outbox_deliver`: events waiting, the soonest due first.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(state="waiting"), name="outbox_waiting_due"),
            # The staff page: one state, newest first, paged by position. (The pull API
            # walks the primary key, which is already in position order.)
            models.Index(fields=["state", "id"], name="outbox_state_position"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["waiting", "delivered", "dead"]), name="outbox_state_known"),
            # Waiting means a try is due; delivered means a 2xx came back, at a known moment.
            models.CheckConstraint(
                condition=Q(state="waiting", next_attempt_at__isnull=False)
                | Q(state="delivered", delivered_at__isnull=False, next_attempt_at__isnull=True)
                | Q(state="dead", next_attempt_at__isnull=True),
                name="outbox_state_matches_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.id}"

    @property
    def topic_words(self) -> str:
        """The topic as staff read it: "repair.reported" is "Repair reported"."""
        return self.topic.replace(".", " ").replace("_", " ").capitalize()


class EmitTurn(models.Model):
    """One row that emitting transactions take in turn (PostgreSQL), so events commit in
    the order of their positions and a reader collecting by position never passes over one
    that commits late. Made the first time it is needed."""

    id = models.PositiveSmallIntegerField(primary_key=True)
