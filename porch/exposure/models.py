"""A request for an exposure report, worked out by the background worker (ADR 0015).

The finished report is personal data (names, addresses, contact details of the people
affected, and who received their data): only the Data Protection Officer reads it,
through porch.exposure.access, and it is deleted KEEP_DAYS after it finished."""

from __future__ import annotations

import datetime
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone

# How long a finished (or failed) run is kept. The audit log is the record; a run is a
# working copy for the investigation, and asking again makes a fresh one.
KEEP_DAYS = 14
# A run that has said nothing for this long is taken to have lost its worker: it may be tried again.
STALLED_AFTER = datetime.timedelta(minutes=15)
# A run still waiting this long after it was asked for: the worker is probably not running.
WORKER_LATE_AFTER = datetime.timedelta(minutes=5)


class ExposureRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Working it out"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.UUIDField(unique=True)
    # What was asked for: the window and the narrowing, as the report's form takes them.
    start = models.DateTimeField()
    end = models.DateTimeField()
    module = models.CharField(max_length=40, blank=True)
    route = models.CharField(max_length=200, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Each try gets a number; only the try that holds it may write the outcome, so a worker
    # that was thought lost and comes back cannot overwrite a newer try's report.
    attempt = models.PositiveIntegerField(default=1)
    events_read = models.BigIntegerField(default=0)
    events_total = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    # The finished report: its figures and the first rows of its tables for the page
    # (porch.exposure.runs.page_data), and both spreadsheets as they are downloaded.
    result = models.JSONField(null=True, blank=True)
    people_csv = models.TextField(blank=True)
    recipients_csv = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="exposure_run_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"Exposure report {self.uuid} ({self.status})"

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stalled(self) -> bool:
        """Running, but no word from the worker for a while: it may have been stopped."""
        last = self.progress_at or self.started_at
        return self.status == self.Status.RUNNING and last is not None and timezone.now() - last > STALLED_AFTER

    @property
    def worker_late(self) -> bool:
        return self.status == self.Status.QUEUED and timezone.now() - self.created_at > WORKER_LATE_AFTER

    @property
    def may_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.stalled

    @property
    def percent(self) -> int:
        if not self.events_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.events_read * 100 // self.events_total)

    @property
    def expires_at(self) -> datetime.datetime | None:
        return self.finished_at + datetime.timedelta(days=KEEP_DAYS) if self.finished_at else None
