"""Anti-social behaviour reports (ADR 0030): a case that belongs to the person who reported it.

Every row carries the reporter (a Person), the key that decides who may see it: the reporter,
and the ASB team. Not their household: a joint tenant may be the person the report is about, or
close to them. The home the report was made from is kept too, for the patch a case can be shared
with and for where it happened; it gives nobody in that home a way in.

Who the report is about is text the reporter wrote. An ASB officer may link it to the record of
the person named (`named_person`), for the ASB team's own work: the key has no reverse accessor
and no resident-facing query or audit row of that person reads it, so nothing of a case can be
reached from the record of someone named in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from porch.core.cases import TimelineEntry, TimelineQuerySet
from porch.core.roles import ASB_READERS, PATCH_SCOPED, StaffRole
from porch.housing.models import Person, Tenancy

if TYPE_CHECKING:
    from porch.core.actor import Actor

# Who works a case: the ASB team. The DPO reads every case and changes none.
WORKERS = frozenset({StaffRole.ASB_OFFICER})
READERS = ASB_READERS
# Every staff role that reads cases (the staff pages' audience, and the database wall's readers
# of cases and timelines): the readers above, and housing officers the cases shared with their patch.
READING_ROLES = READERS | PATCH_SCOPED


class AsbCaseQuerySet(models.QuerySet["AsbCase"]):
    def visible_to(self, actor: Actor) -> AsbCaseQuerySet:
        """Residents: the cases they reported themselves, never during view-as (the member of
        staff behind it may not be on the ASB team). Staff with current training: ASB officers
        and the DPO every case; housing officers the cases an ASB officer shared with them, of
        homes in their patches. Everybody else: nothing."""
        if actor.is_resident:
            if actor.is_viewing_as or not actor.person_id:
                return self.none()
            return self.filter(reporter_id=actor.person_id)
        if not actor.reads_personal_data:
            return self.none()
        if actor.roles & READERS:
            return self.all()
        if StaffRole.HOUSING_OFFICER in actor.roles:
            return self.filter(shared_with_patch=True, tenancy__property__block__estate__patch_id__in=actor.patch_ids)
        return self.none()


class AsbCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Where(models.TextChoices):
        HOME = "home", "At or in my home"
        BLOCK = "block", "In or around my block"
        ESTATE = "estate", "Somewhere else on my estate"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True)
    # The owner: the person who reported it. Never their household.
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The home they reported from: where "my home", "my block" and "my estate" are, and whose
    # patch an ASB officer may share the case with. Not a way in for anyone who lives there.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    what_happened = models.TextField(max_length=4000)
    happened_when = models.CharField(max_length=200)
    where = models.CharField(max_length=6, choices=Where.choices)
    where_detail = models.CharField(max_length=200, blank=True)
    # Who was involved, as the reporter describes them: text the reporter wrote.
    who_involved = models.TextField(max_length=2000, blank=True)
    # The record of the person named, once an ASB officer has linked it: for the ASB team and the
    # DPO alone. Never a way in for that person, nor shown to a housing officer the case is shared
    # with (ADR 0030).
    named_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at_risk_now = models.BooleanField(default=False)
    risk = models.CharField(max_length=6, choices=Risk.choices, blank=True)
    risk_reason = models.TextField(max_length=2000, blank=True)
    # An ASB officer's choice: the housing officers of the home's patch may read the case.
    shared_with_patch = models.BooleanField(default=False)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the reporter said of the outcome, recorded when the case is closed.
    reporter_view = models.TextField(max_length=2000, blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    # A test household's: never in staff lists.
    is_test = models.BooleanField(default=False)

    objects = AsbCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(risk="") | ~Q(risk_reason=""), name="asb_risk_has_reason"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(reporter_view="")),
                name="asb_closed_with_reporter_view",
            ),
        ]
        indexes = [
            models.Index(fields=["reporter", "reported_at"], name="asb_case_reporter"),
            models.Index(fields=["status", "reported_at"], name="asb_case_status"),
            # The staff list, newest first, paged by position (porch.core.paging).
            models.Index(fields=["reported_at", "id"], name="asb_case_reported"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AsbEntry(TimelineEntry):
    """An entry on a case's timeline (porch.core.cases): its own table, with the reporter."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Report made"
        DIARY = "diary", "Diary entry"
        RISK = "risk", "Risk assessed"
        ACTION = "action", "Action taken"
        NOTE = "note", "Internal note"
        WITNESS = "witness", "Witness statement"
        PLAN = "plan", "Action plan"
        UPDATE = "update", "Update"
        SHARED = "shared", "Sharing with the housing officer changed"
        LINKED = "linked", "Person named linked to a record"
        CLOSED = "closed", "Case closed"

    # Kinds that are the ASB team's alone, whoever gave them: never published.
    PRIVATE: ClassVar[tuple[str, ...]] = (Kind.WITNESS, Kind.NOTE, Kind.RISK, Kind.SHARED, Kind.LINKED)
    # Kinds not even a housing officer the case is shared with reads: who the report names.
    ASB_TEAM_ONLY: ClassVar[tuple[str, ...]] = (Kind.LINKED,)

    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="entries")
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # A diary entry's own "when it happened", as the reporter wrote it.
    happened_when = models.CharField(max_length=200, blank=True)

    objects: ClassVar[TimelineQuerySet[AsbEntry]] = TimelineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta(TimelineEntry.Meta):
        indexes = [models.Index(fields=["case", "at"], name="asb_entry_at")]
        constraints = [
            # A witness statement, internal note, risk assessment or link can never reach the reporter.
            models.CheckConstraint(
                condition=Q(published=False) | ~Q(kind__in=["witness", "note", "risk", "shared", "linked"]),
                name="asb_private_entries_never_published",
            )
        ]


def evidence_name(instance: AsbEvidence, filename: str) -> str:
    # Never the uploader's name for the file: it can carry a name.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"asb/{instance.uuid}.{extension}"


class AsbEvidence(models.Model):
    """A photo, sound or video recording the reporter added: a photo re-encoded from its pixels
    (no EXIF, no location), a recording checked by its structure and copied without the metadata
    we can take out (porch.core.media). `uploaded_by` tells the reporter's own files from any a
    member of staff adds: the reporter may open only their own."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="evidence")
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(AsbEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    file = models.FileField(upload_to=evidence_name)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def kind_label(self) -> str:
        """What it is, in words: "photo", "sound recording" or "video"."""
        if self.content_type.startswith("image/"):
            return "photo"
        return "video" if self.content_type.startswith("video/") else "sound recording"
