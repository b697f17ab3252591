"""Privacy incidents: every report of a privacy problem creates or joins one."""

from __future__ import annotations

import datetime
import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models

ICO_DEADLINE = datetime.timedelta(hours=72)


def new_reference() -> str:
    return f"PI-{secrets.token_hex(3).upper()}"


class Incident(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CONTAINED = "contained", "Contained"
        ASSESSED = "assessed", "Assessed"
        NOTIFIED = "notified", "ICO notified"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.REPORTED)
    # The landlord became aware with the first report: the ICO's 72 hours run from here.
    aware_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-aware_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def ico_deadline(self) -> datetime.datetime:
        return self.aware_at + ICO_DEADLINE


class PrivacyReport(models.Model):
    """What someone saw, in their words, and where. Residents, staff taking a call, anyone."""

    class Channel(models.TextChoices):
        WEB = "web", "Online form"
        PHONE = "phone", "Phone call logged by staff"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    what_seen = models.TextField()
    page = models.CharField(max_length=500, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class TimelineEntry(models.Model):
    """Everything done about an incident, in order: reports, alerts, switches, decisions."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "id"]
