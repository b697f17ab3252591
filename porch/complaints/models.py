"""Complaints: two stages on statutory clocks (clocks.py), shared by the tenancy's account
holders, worked by complaints handlers and the housing officers of the home's patch.

Every row carries the tenancy that decides who may see it (the complaint, each stage, each
timeline entry), so the access rule and the database policies to come (issue 15) are one key
on each table. A different handler at stage 2 is a database constraint on the complaint row."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from porch.core.cases import TimelineEntry, TimelineQuerySet
from porch.core.roles import PATCH_SCOPED, StaffRole
from porch.housing.models import Person, Tenancy, patch_rule

if TYPE_CHECKING:
    from porch.core.actor import Actor

# Organisation-wide readers: the complaints team, and the DPO (read only).
ORGANISATION_READERS = frozenset({StaffRole.COMPLAINTS_HANDLER, StaffRole.DPO})
# Every staff role that reads complaints (the staff pages' audience, and the database wall's
# readers of each complaint table): the readers above everywhere, housing officers in their patches.
READING_ROLES = ORGANISATION_READERS | PATCH_SCOPED
# Who works a complaint (acknowledge, extend, respond, notes, close): the complaints team
# everywhere, housing officers in their patches.
HANDLERS = frozenset({StaffRole.COMPLAINTS_HANDLER, StaffRole.HOUSING_OFFICER})


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, actor: Actor) -> ComplaintQuerySet:
        """Residents: the complaints of the tenancies they hold an account for now, made on or
        after the day they joined it (shared with joint tenants). Staff with current training:
        complaints handlers and the DPO every complaint; housing officers those of the
        households they may see (their patches, and break glass). Everybody else: nothing."""
        if actor.is_resident and actor.person_id:
            if actor.viewing_as_without(ORGANISATION_READERS | HANDLERS):
                return self.none()
            return self.filter(_resident_rule(actor))
        if not actor.reads_personal_data:
            return self.none()
        if actor.roles & ORGANISATION_READERS:
            return self.all()
        if actor.roles & PATCH_SCOPED:
            return self.filter(patch_rule(actor))
        return self.none()


def _resident_rule(actor: Actor) -> Q:
    own = Q(pk__in=[])
    for home in actor.homes:
        if home.holds_account:
            own |= Q(tenancy_id=home.tenancy_id, received_on__gte=home.member_since)
    return own


class Complaint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # What a resident quotes on the phone: short, and not a count of the landlord's complaints.
    reference = models.CharField(max_length=12, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="complaints")
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_on = models.DateField(default=timezone.localdate)
    about = models.TextField(max_length=4000)
    wanted = models.TextField(max_length=2000)
    # A repair the resident names, as they wrote it: complaints do not reach into repairs.
    repair_reference = models.CharField(max_length=40, blank=True)
    # The rules and bank holidays it was made under, kept so a change of setting never moves its clocks.
    nation = models.CharField(max_length=10)
    region = models.CharField(max_length=3)
    stage = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    # The current stage's next deadline (acknowledge or respond), for the queue; none once answered.
    due_on = models.DateField(null=True, blank=True)
    # Who considered each stage: never the same person (the code's and the SPSO's rule).
    stage1_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage2_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    # A test household's: never in staff lists or the figures.
    is_test = models.BooleanField(default=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="complaint_has_two_stages"),
            models.CheckConstraint(
                condition=Q(stage1_handler__isnull=True)
                | Q(stage2_handler__isnull=True)
                | ~Q(stage2_handler=F("stage1_handler")),
                name="complaint_stage2_has_another_handler",
            ),
            models.CheckConstraint(
                condition=Q(stage2_handler__isnull=True) | Q(stage=2), name="complaint_stage2_handler_at_stage2"
            ),
        ]
        indexes = [
            models.Index(fields=["tenancy", "received_on"], name="complaint_tenancy_received"),
            # The queue: open complaints with a deadline, the most overdue first.
            models.Index(
                fields=["due_on", "id"], condition=Q(due_on__isnull=False, is_test=False), name="complaint_due"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def handler_of(self, stage: int) -> int | None:
        return self.stage1_handler_id if stage == 1 else self.stage2_handler_id


class ComplaintStage(models.Model):
    """One stage of a complaint, with its clocks, any extension and the response."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    received_on = models.DateField()
    acknowledge_by = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    respond_by = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(max_length=2000, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # The response letter, a resident-visible document of the tenancy (porch.documents).
    response = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_stage_once"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="complaint_stage_number"),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""), name="complaint_extension_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(outcome=""), name="complaint_response_has_outcome"
            ),
        ]
        indexes = [models.Index(fields=["number", "received_on"], name="complaint_stage_received")]

    @property
    def deadline(self) -> datetime.date:
        """The last day to respond, extension included."""
        return self.extended_to or self.respond_by

    @property
    def responded_on_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        return self.responded_on <= self.deadline


class ComplaintEntry(TimelineEntry):
    """An entry on a complaint's timeline (porch.core.cases): its own table, with the tenancy."""

    CASE_FIELD: ClassVar[str] = "complaint"

    class Kind(models.TextChoices):
        RAISED = "raised", "Complaint made"
        ACKNOWLEDGED = "acknowledged", "Complaint acknowledged"
        EXTENDED = "extended", "More time needed"
        RESPONDED = "responded", "Response sent"
        ESCALATED = "escalated", "Asked to go to stage 2"
        UPDATE = "update", "Update"
        NOTE = "note", "Internal note"
        CLOSED = "closed", "Complaint closed"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=24, choices=Kind.choices)

    objects: ClassVar[TimelineQuerySet[ComplaintEntry]] = TimelineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta(TimelineEntry.Meta):
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_entry_at")]
