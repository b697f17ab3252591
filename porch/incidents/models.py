"""Privacy incidents: every report of a privacy problem creates or joins one."""

from __future__ import annotations

import datetime
import secrets
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.db import models

ICO_DEADLINE = datetime.timedelta(hours=72)


def new_reference() -> str:
    """A reference short enough to read out on the phone. Reports and incidents share one
    space of references (services.unused_reference), so a reporter's reference finds their
    incident whichever of the two it names."""
    return f"PI-{secrets.token_hex(3).upper()}"


class Incident(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CONTAINED = "contained", "Contained"
        ASSESSED = "assessed", "Assessed"
        NOTIFIED = "notified", "ICO notified"
        CLOSED = "closed", "Closed"

    class Kind(models.TextChoices):
        INCIDENT = "incident", "Incident"
        NEAR_MISS = "near_miss", "Near miss"
        # A rehearsal: goes through the real ladder, is timed, and is never a breach.
        DRILL = "drill", "Drill"

    class Severity(models.TextChoices):
        NOT_ASSESSED = "", "Not assessed yet"
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Decision(models.TextChoices):
        UNDECIDED = "", "Not decided yet"
        YES = "yes", "Yes"
        NO = "no", "No"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INCIDENT)
    summary = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.REPORTED)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.NOT_ASSESSED, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The landlord became aware with the first report: the ICO's 72 hours run from here.
    aware_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Milestones, for the timeline and for drill timings.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contained_at = models.DateTimeField(null=True, blank=True)
    # "Notify the ICO: yes or no, and why" (for a near miss, why the ICO was not told).
    ico_decision = models.CharField(max_length=3, choices=Decision.choices, blank=True, default="")
    ico_decision_reason = models.TextField(blank=True)
    ico_decided_at = models.DateTimeField(null=True, blank=True)
    ico_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ico_notified_at = models.DateTimeField(null=True, blank=True)
    ico_reference = models.CharField(max_length=50, blank=True)
    ico_report_draft = models.TextField(blank=True)
    # "Tell the people affected: yes or no, and why" (Article 34).
    affected_decision = models.CharField(max_length=3, choices=Decision.choices, blank=True, default="")
    affected_decision_reason = models.TextField(blank=True)
    affected_decided_at = models.DateTimeField(null=True, blank=True)
    affected_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Post-incident review.
    review_what_happened = models.TextField(blank=True)
    review_cause = models.TextField(blank=True)
    review_lessons = models.TextField(blank=True)
    review_actions = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A report that turned out to be about an incident already open is joined to it.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    # Recording a near miss and starting a drill carry one, so a double submit makes one incident.
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-aware_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def ico_deadline(self) -> datetime.datetime:
        return self.aware_at + ICO_DEADLINE

    @property
    def has_ico_deadline(self) -> bool:
        """A drill is a rehearsal and a near miss was never a breach: the 72 hours are for incidents."""
        return self.kind == self.Kind.INCIDENT

    @property
    def is_drill(self) -> bool:
        return self.kind == self.Kind.DRILL

    @property
    def is_near_miss(self) -> bool:
        return self.kind == self.Kind.NEAR_MISS

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


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


class ReportSender(models.Model):
    """Where online reports come from, as a keyed hash (of the account, or of the address for
    someone signed out), and the incidents its recent reports opened. Locked while a report
    decides whether to open an incident or join the one this sender's reports opened last,
    so a flood from one place opens a bounded number of incidents (ADR 0008)."""

    key = models.CharField(max_length=64, unique=True)
    # The current run of reports: it ends once the sender has been quiet for a while.
    first_report_at = models.DateTimeField()
    last_report_at = models.DateTimeField()
    incidents_opened = models.PositiveIntegerField(default=0)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The current day (24 hours from its first incident): quiet spells do not reset this count,
    # so bursts spaced just over an hour apart cannot page people all day.
    day_started_at = models.DateTimeField(null=True, blank=True)
    incidents_opened_today = models.PositiveIntegerField(default=0)


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


class OnCallShift(models.Model):
    """Who is on call for a period, and in what order they are called (rung 1 first)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    rung = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts")
    role_label = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "rung", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="on_call_ends_after"),
        ]


class Notification(models.Model):
    """One escalation step sent one way: rung N by email, rung N by chat webhook.

    The worker claims a row (QUEUED -> SENDING, committed) before sending and marks it
    after, so a crash leaves it SENDING for a person to see and it is never sent twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Chat"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        SENDING = "sending", "Sending (not confirmed)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not needed: acknowledged"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    rung = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(max_length=300)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The acknowledgement link carries this, signed; it works once.
    ack_nonce = models.CharField(max_length=32, unique=True)
    ack_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rung", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "rung", "channel", "address"], name="one_notification_per_step"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="notification_due")]

    @property
    def shown_address(self) -> str:
        """Where it went, fit to show: a webhook address is a secret, so only its host."""
        if self.channel == self.Channel.WEBHOOK:
            return f"chat ({urlsplit(self.address).hostname or 'webhook'})"
        return self.address
