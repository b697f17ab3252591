"""Switches that take part of the portal away from residents, and proposals
that widen who can see data, which take effect only when a second person approves."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from porch.core.modules import approval_choices, switch_choices


class ModuleSwitch(models.Model):
    """A module residents can use, or not, for everyone or for one cohort.
    Off takes effect on every server within a second."""

    # Each module declares its switch (porch/<app>/module.py): a new module needs no migration here.
    module = models.CharField(max_length=20, choices=switch_choices)
    cohort = models.ForeignKey("Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="switches")
    is_off = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["module"], condition=Q(cohort__isnull=True), name="one_switch_per_module_for_everyone"
            ),
            models.UniqueConstraint(fields=["module", "cohort"], name="one_switch_per_module_per_cohort"),
        ]


class ChangeProposal(models.Model):
    """A change that widens who can see data, waiting for a second person."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # Declared by the module that owns the setting (porch.core.modules.ApprovalKind).
    kind = models.CharField(max_length=30, choices=approval_choices)
    target = models.CharField(max_length=64)  # written and read by the kind's own typed target
    before = models.CharField(max_length=300)
    after = models.CharField(max_length=300)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="nobody_decides_their_own_proposal",
            ),
            models.UniqueConstraint(
                fields=["kind", "target"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_change",
            ),
        ]


class IsolationCheckRun(models.Model):
    """One run of `manage.py isolation_check` against this installation."""

    ran_at = models.DateTimeField(auto_now_add=True)
    passed = models.BooleanField()
    households = models.PositiveSmallIntegerField()
    residents = models.PositiveSmallIntegerField()
    leaks = models.TextField(blank=True)

    class Meta:
        ordering = ["-ran_at"]


def dpia_stored_name(cohort: Cohort, filename: str) -> str:
    """Stored under the cohort's id: nothing the uploader chose reaches the disk."""
    return f"dpia/{cohort.uuid}.pdf"


class Cohort(models.Model):
    """A pilot group of homes. Only residents in an open cohort can sign up, sign in
    and use the portal; a cohort opens only when its launch checklist is all green."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not open yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    # The launch checklist.
    dpia = models.FileField(upload_to=dpia_stored_name, blank=True)
    dpia_added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dpo_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dpo_signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CohortHomes(models.Model):
    """Homes in a cohort: a whole patch, estate or block, or one tenancy from a list.
    Homes added to an open cohort are inactive until a second person approves."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="homes")
    patch = models.ForeignKey("housing.Patch", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    estate = models.ForeignKey("housing.Estate", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    block = models.ForeignKey("housing.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tenancy = models.ForeignKey("housing.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(patch__isnull=False, estate__isnull=True, block__isnull=True, tenancy__isnull=True)
                    | Q(patch__isnull=True, estate__isnull=False, block__isnull=True, tenancy__isnull=True)
                    | Q(patch__isnull=True, estate__isnull=True, block__isnull=False, tenancy__isnull=True)
                    | Q(patch__isnull=True, estate__isnull=True, block__isnull=True, tenancy__isnull=False)
                ),
                name="cohort_homes_name_exactly_one_place",
            )
        ]

    def __str__(self) -> str:
        place = self.patch or self.estate or self.block or self.tenancy
        return f"{place}"


class CohortModule(models.Model):
    """A module (such as documents) switched on for a cohort. On is a widening: approved by a second person."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="modules")
    module = models.CharField(max_length=20, choices=switch_choices)
    enabled = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "module"], name="one_setting_per_cohort_module")]


class AcceptanceScript(models.Model):
    """One rehearsed journey on the launch checklist, signed off by a named person."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="scripts")
    title = models.CharField(max_length=200)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Invitation(models.Model):
    """One invitation to one person for one cohort. Sent at most once: a worker
    claims it (SENDING) before sending and marks it SENT after, so a crash in
    between never leads to a second message."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        SENDING = "sending", "Sending (check if it stays here)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be delivered"
        CANCELLED = "cancelled", "Not sent: no longer needed"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("housing.Person", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=5)  # "email" or "sms"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="one_invitation_per_person_per_cohort")
        ]
        indexes = [models.Index(fields=["cohort", "status"])]


class AccessPolicy(models.Model):
    """Settings that decide who may open personal data, changed only through proposals.
    One row; without it, the defaults from the environment apply."""

    training_valid_days = models.PositiveIntegerField()
    changed_at = models.DateTimeField(auto_now=True)
