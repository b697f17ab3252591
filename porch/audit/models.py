"""The append-only audit log of personal-data reads and writes.

Only porch.audit.services.record() writes here. On PostgreSQL a trigger
refuses UPDATE and DELETE; every row carries the hash of the row before it,
so an edited or removed row breaks the chain (see `manage.py audit_verify`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from porch.housing.models import Person, Tenancy


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        DOWNLOAD = "download", "Downloaded"
        SEARCH = "search", "Searched"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_UP = "sign_up", "Signed up"
        ADMIN = "admin", "Used the admin site"
        BREAK_GLASS = "break_glass", "Opened outside their patch"
        VIEW_AS = "view_as", "Viewed as the resident"

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=True
    )
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_role = models.CharField(max_length=200)
    # One row per data subject, so "who saw this person" is one index range scan.
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    # The tenancy the data was reached through: a resident sees an event only
    # if it happened while they were a member of that tenancy.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    client_ip = models.CharField(max_length=45, blank=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "at"], name="audit_subject_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"


class ChainHead(models.Model):
    """One row holding the newest hash. Locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64)
