"""Switches that take part of the portal away from residents, and proposals
that widen who can see data, which take effect only when a second person approves."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Module(models.TextChoices):
    PORTAL = "portal", "The whole portal"
    SIGNUP = "signup", "Creating an account"
    DOCUMENTS = "documents", "Documents"


class ModuleSwitch(models.Model):
    """A module residents can use, or not. Off takes effect on every server within a second."""

    module = models.CharField(max_length=20, choices=Module.choices, unique=True)
    is_off = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True)


class ChangeProposal(models.Model):
    """A change that widens who can see data, waiting for a second person."""

    class Kind(models.TextChoices):
        SWITCH_ON = "switch_on", "Switch a module back on"
        DOCUMENT_TYPE_VISIBLE = "document_type_visible", "Let residents see a type of document"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    target = models.CharField(max_length=64)  # the module, or the document type's uuid
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
