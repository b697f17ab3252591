"""What the canary guard remembers: every trip, and one alarm per module.

A trip is one blocked response. Trips for the same module close together
join one incident (a crawler hitting a hundred pages makes one incident with
a hundred timeline entries, not a hundred incidents); the alarm row is what
concurrent trips lock to agree on that incident."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CanaryAlarm(models.Model):
    """The incident the latest trips of one module joined. Locked while a trip decides."""

    # The module of the view that produced the response; "" when the view has none.
    module = models.CharField(max_length=20, unique=True, blank=True)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, related_name="+")
    last_trip_at = models.DateTimeField(null=True)


class CanaryTrip(models.Model):
    class Found(models.TextChoices):
        BODY = "body", "In the page"
        FILE = "file", "A canary household's file"
        HEADER = "header", "In a file name"
        STREAM = "stream", "In a download, as it was sent"

    class Outcome(models.TextChoices):
        SWITCHED_OFF = "switched_off", "Module switched off"
        ALREADY_OFF = "already_off", "Module was already off"
        ALERT_ONLY = "alert_only", "Alert only (CANARY_GUARD_ACTION)"
        NOT_SWITCHABLE = "not_switchable", "Nothing to switch off"

    at = models.DateTimeField(auto_now_add=True)
    households = models.ManyToManyField("housing.TestHousehold", related_name="+")
    module = models.CharField(max_length=20, blank=True)
    method = models.CharField(max_length=10)
    # Without the query string, and with any marker in it blanked out.
    path = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField()
    found = models.CharField(max_length=10, choices=Found.choices)
    # Who the response was on its way to.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_role = models.CharField(max_length=200)
    request_id = models.CharField(max_length=32, blank=True)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["-at"]
