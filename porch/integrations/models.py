"""Housing system connections: the accounts a landlord's housing management system (HMS)
signs its API requests with, the batches each sent, and the nonces each has used (ADR 0021)."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.feed.models import FeedBatch


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def visible_to(self, actor: Actor) -> ConnectionQuerySet:
        """System administrators manage connections; the Data Protection Officer may read them."""
        if actor.has_role(StaffRole.SYSADMIN, StaffRole.DPO):
            return self.all()
        return self.none()


class Connection(models.Model):
    """One connected system. Its secret is never stored: it is worked out again from
    FEED_API_KEY, the uuid and the key version (porch.integrations.secrets), and only a hash
    of it is kept, to recognise it. Rotating bumps the version, which ends the old secret."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)
    # What it may do: feed entities it may send ("people", ...) and "outbox" to read the outbox.
    scopes = models.JSONField(default=list, blank=True)
    # The networks (CIDR) its requests may come from; none listed: no address is allowed.
    allowed_networks = models.JSONField(default=list, blank=True)
    # Its batches are applied as soon as they are previewed (a large one still waits for a second person).
    apply_when_previewed = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    key_version = models.PositiveIntegerField(default=1)
    secret_hash = models.CharField(max_length=64)  # SHA-256 of the current secret, hex
    # A double submit of the form that adds it adds one connection.
    idempotency_key = models.UUIDField(unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The furthest outbox position it has been handed (0: none yet). Events after the lowest
    # of these among the connections that read the outbox are never pruned (outbox_prune).
    outbox_collected_to = models.PositiveBigIntegerField(default=0)
    switched_off_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(key_version__gte=1), name="integrations_key_version_from_one"),
            models.CheckConstraint(
                condition=Q(active=True) | Q(switched_off_at__isnull=False),
                name="integrations_off_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConnectionBatch(models.Model):
    """A batch a connection sent, under the key it chose: the same key again is the same batch,
    and a connection reads only its own batches."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="batches")
    batch = models.OneToOneField(FeedBatch, on_delete=models.CASCADE, related_name="+")
    batch_key = models.CharField(max_length=50)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "batch_key"], name="integrations_one_batch_per_key"),
        ]


class UsedNonce(models.Model):
    """A nonce a connection's accepted request carried, kept while a replay of it could still
    pass the timestamp check. Kept in the database, never the cache: a cache may evict an entry
    early (the database cache culls at its size limit), which would let a replay through."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    used_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "nonce"], name="integrations_nonce_once")]
        indexes = [models.Index(fields=["connection", "used_at"], name="integrations_nonce_age")]
