from __future__ import annotations

from django.db import models


class AttemptCounter(models.Model):
    """Attempts at a guarded action (sign-in, a code, sign-up) for one key, in a
    fixed window. Counted with atomic UPDATEs in the shared database, so every
    process and server sees the same count and parallel requests cannot race."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)


class TestOutboxMessage(models.Model):
    """Email and text messages to test residents: kept here, never sent."""

    __test__ = False  # a model, not a pytest test class

    channel = models.CharField(max_length=5)  # "email" or "sms"
    to = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
