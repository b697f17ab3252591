"""Contractor accounts: which operatives administer their firm's accounts, and the one-time
links that let a new operative choose a password. A link's token is kept only as a hash
(like a password reset's), is single use, and expires."""

from __future__ import annotations

from uuid import uuid4

from django.db import models
from django.db.models import Q

from porch.accounts.models import ContractorFirm, User


class FirmAdministrator(models.Model):
    """An operative who invites and deactivates their own firm's operatives."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    firm = models.ForeignKey(ContractorFirm, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Invitation(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    firm = models.ForeignKey(ContractorFirm, on_delete=models.PROTECT, related_name="+")
    # The account the link opens: made with no usable password when the invitation is sent.
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # Empty until the task worker makes the link and sends it (the link never waits in the
    # task table); then the token's hash, and the link lasts from when it was sent.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_later",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__isnull=True, expires_at__isnull=True)
                | Q(token_hash__isnull=False, expires_at__isnull=False),
                name="invitation_sent_with_its_expiry",
            ),
        ]
