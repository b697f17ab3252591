"""Notifications: one row per resident told something, the tries to reach them by email or
text, and their choices of how to be told.

A notification says only that something happened and where to read it ("There is an update
on your repair. Sign in to read it."): what happened stays on the page behind sign-in, so an
email or text read over someone's shoulder, or kept by the provider, gives nothing away."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q

from porch.notifications.kinds import REQUIRED, Channel, Kind

if TYPE_CHECKING:
    from porch.core.actor import Actor


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, actor: Actor) -> NotificationQuerySet:
        """A resident's own notifications, newest first; nobody else's, and none to staff or
        contractors (staff see delivery counts, never a notification). Staff viewing as the
        resident do not see those marked hidden from them."""
        if not actor.is_resident or actor.person_id is None:
            return self.none()
        mine = self.filter(person_id=actor.person_id)
        if actor.is_viewing_as:
            mine = mine.filter(hidden_during_view_as=False)
        return mine.order_by("-created_at", "-id")


class Notification(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The owner key: only this person sees the row.
    person = models.ForeignKey("housing.Person", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    # A path inside the portal ("/repairs/<uuid>/"), made a full address when a message is sent.
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # About something even staff viewing as the resident may not learn exists (a report of
    # anti-social behaviour): never on the list while they do.
    hidden_during_view_as = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["person", "-created_at"], name="notification_person_newest")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind_known")]

    def __str__(self) -> str:
        return f"Notification {self.uuid}"


class Delivery(models.Model):
    """One channel's way to one notification: waiting, sent, or failed after its last try.
    It holds no address: the worker reads the one on the housing record when it sends."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"
        NO_ADDRESS = "no_address", "Not sent: no address on record"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Short and safe to show staff: the kind of failure, never an address or the message.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_made")]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]

    def __str__(self) -> str:
        return f"Delivery {self.uuid}"


class Preference(models.Model):
    """A resident's choice for one kind and one channel. No row: the default (on, where we
    have the address). Required kinds are never chosen, so never stored."""

    person = models.ForeignKey("housing.Person", on_delete=models.CASCADE, related_name="notification_choices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    enabled = models.BooleanField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "channel"], name="preference_one_per_kind_channel"),
            models.CheckConstraint(condition=~Q(kind__in=sorted(REQUIRED)), name="preference_never_for_required_kinds"),
        ]

    def __str__(self) -> str:
        return f"Preference {self.kind}/{self.channel}"
