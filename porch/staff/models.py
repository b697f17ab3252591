from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models

from porch.housing.models import Person, Tenancy


class BreakGlass(models.Model):
    """A staff member opened a record outside their patch, and said why.

    It opens that one tenancy for a few hours, is audited, and waits on the
    Data Protection Officer's review list until it is marked reviewed."""

    class Reason(models.TextChoices):
        CALL = "call", "The resident is on the phone or at the counter"
        SAFEGUARDING = "safeguarding", "Emergency or safeguarding concern"
        COVER = "cover", "Covering for a colleague"
        COMPLAINT = "complaint", "Complaint or ombudsman case"
        OTHER = "other", "Another reason"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glasses")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="break_glasses")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["staff", "expires_at"])]


# Where a staff member's browser session keeps the view-as session it is in.
VIEW_AS_SESSION_KEY = "porch_view_as"


class ViewAsSession(models.Model):
    """A staff member seeing the portal exactly as one resident sees it: read-only,
    with a reason, for at most VIEW_AS_MINUTES, shown in the resident's privacy log."""

    class Reason(models.TextChoices):
        CALL = "call", "To help with their call or visit"
        PROBLEM = "problem", "To check a problem they reported"
        COMPLAINT = "complaint", "To look into a complaint"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="view_as_sessions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reference = models.CharField(max_length=100)
    started_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
