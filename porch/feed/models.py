"""Batches of the housing record arriving from the landlord's housing management system
(HMS), each one file of one entity, and what became of each row (ADR 0020)."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q


class FeedBatch(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded by staff"
        FOLDER = "folder", "Import folder"
        API = "api", "Housing system connection"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, waiting to be checked"
        CHECKING = "checking", "Being checked"
        REFUSED = "refused", "Refused: the file cannot be read"
        PREVIEWED = "previewed", "Checked: ready to apply"
        WAITING_APPROVAL = "waiting_approval", "Checked: waiting for a second person to approve"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Stopped by an error: it can be started again"
        WITHDRAWN = "withdrawn", "Withdrawn without applying"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSON lines"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    entity = models.CharField(max_length=30)
    format = models.CharField(max_length=5, choices=Format.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=200)
    # The file as it arrived, in private storage; read again for each pass, never held whole in memory.
    file = models.FileField(upload_to="feed/", max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # The same file sent twice is one batch (an upload double-submitted, an API retry).
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # Why a whole file was refused, or why a run stopped, in plain English.
    reason = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The housing system connection that sent it (the integrations app), by name.
    sent_by_system = models.CharField(max_length=100, blank=True)
    # Applied as soon as it is previewed, if no second person is needed: a connection's
    # batches, when the connection is trusted to apply (a large one still waits).
    apply_when_previewed = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)  # data rows in the file, from the check
    # The rows the check found repeating an earlier row's reference: {line: earlier line}.
    repeats = models.JSONField(default=dict, blank=True)
    # The preview: what applying would do, worked out by applying and rolling back.
    preview = models.JSONField(default=dict, blank=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    apply_started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)  # when the last chunk was committed
    applied_at = models.DateTimeField(null=True, blank=True)
    # How far applying has got: data rows done, committed with their changes, so a run that
    # stopped part-way carries on from here and nothing is counted or changed twice.
    position = models.PositiveIntegerField(default=0)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["-received_at", "-id"], name="feed_batch_newest")]

    def __str__(self) -> str:
        return f"{self.entity} {self.filename}"

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("read", "created", "changed", "unchanged", "refused", "held")}


class FeedProblem(models.Model):
    """A row that was not applied (or, in a preview, would not be), and why, in plain English.
    Never the row's values: the file keeps those, behind the same access."""

    class Stage(models.TextChoices):
        PREVIEW = "preview", "Preview"
        APPLY = "apply", "Apply"

    batch = models.ForeignKey(FeedBatch, on_delete=models.CASCADE, related_name="problems")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    line = models.PositiveIntegerField()  # the line of the file (the header is line 1 in a CSV file)
    field = models.CharField(max_length=50, blank=True)
    why = models.CharField(max_length=300)

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["batch", "stage", "line"], name="feed_problem_batch_line")]


class HeldPerson(models.Model):
    """A new person from the HMS who looks like someone already here (the same name and date
    of birth under another reference). Never merged by the feed: held until staff decide."""

    class Decision(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        ADDED = "added", "Added as a different person"
        LEFT_OUT = "left_out", "Left out: to be put right in the housing system"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    batch = models.ForeignKey(FeedBatch, on_delete=models.PROTECT, related_name="held_people")
    line = models.PositiveIntegerField()
    housing_reference = models.CharField(max_length=30)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    looks_like = models.ForeignKey("housing.Person", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One waiting hold per reference: the same file again does not hold it twice.
            models.UniqueConstraint(
                fields=["housing_reference"], condition=Q(decision="waiting"), name="feed_one_hold_per_reference"
            )
        ]
