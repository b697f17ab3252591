"""The case pattern that ASB reports, complaints and message threads share (ADR 0028): a case
with a timeline of entries, a few published to the resident, most internal.

What is shared is the shape, not a table. Each module declares its own concrete entry model
from TimelineEntry, with a key to its own case and the owning key (the tenancy, or for ASB the
reporter) on every row, so an ASB entry never sits in the same table as a complaint's, each
module's access rule and the database policies of issue 15 are written on one table of its own,
and a bug in one module's list cannot show another module's entries. The template
core/_timeline.html draws any module's entries, for the resident (published entries only, which
the caller chooses with `published()`) or for staff (every entry, marked internal or published).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimelineQuerySet[E: models.Model](models.QuerySet[E]):
    def published(self) -> TimelineQuerySet[E]:
        """The entries the resident reads on their case's page: never an internal note."""
        return self.filter(published=True)


class TimelineEntry(models.Model):
    """One entry on a case's timeline. A concrete model adds its case (a ForeignKey named by
    CASE_FIELD, related_name "entries") and its owning key, and its own Kind choices."""

    # The name of the concrete model's key to its case, for code that handles any timeline.
    CASE_FIELD: ClassVar[str] = "case"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=24)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=4000, blank=True)
    # Shown to the resident on their case's page. Internal unless a member of staff chose to
    # publish it: a forgotten flag keeps an entry from the resident, never shows one.
    published = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A double submit of a note or update makes one entry.
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def kind_words(self) -> str:
        display = getattr(self, "get_kind_display", None)
        return str(display()) if display else self.kind
