"""Repairs: reported by residents (their own home, or a shared area of their block or
estate), triaged by the repairs team, done by a contractor firm, each running against the
clocks the landlord's rules and the law set (clocks.py).

Every row carries the key that decides who may see it:

- a repair to a home carries its tenancy: the tenancy's account holders see it while they
  hold it (from the day they joined), and staff whose role or patch covers the home;
- a repair to a shared area carries its block or its estate (exactly one of the three is
  set): everyone living there sees it, without who reported it or what they said about
  their own home;
- a contractor firm sees the repairs assigned to it now, until REPAIRS_CONTRACTOR_DAYS
  after the repair was completed or cancelled. Reassigning a repair ends the first firm's
  access at once, because the firm is a column of the repair, not a list of grants.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from porch.accounts.models import ContractorFirm, User
from porch.core.expressions import plain_uuid, uuid_text
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED, StaffRole
from porch.housing.models import Block, Estate, Patch, Person, Property, Tenancy, patch_rule
from porch.repairs.categories import AREA_BY_CODE, PRIORITY_WORDS, Category, Priority, category
from porch.repairs.clocks import WORDS as CLOCK_WORDS
from porch.repairs.clocks import Kind as ClockKind

if TYPE_CHECKING:
    from porch.core.actor import Actor

# Staff who see repairs: the repairs team and customer services everywhere, the Data
# Protection Officer for reports, housing officers in their own patches.
STAFF_READERS = frozenset(ORGANISATION_WIDE - {StaffRole.ASB_OFFICER, StaffRole.INCOME_OFFICER})
# Every staff role that reads repairs (the staff pages' audience, and the database wall's
# readers of each repair table): the roles above everywhere, housing officers in their patches.
READING_ROLES = STAFF_READERS | PATCH_SCOPED
# Staff who run the queue: triage, assign, publish updates, close.
COORDINATORS = frozenset({StaffRole.REPAIRS_COORDINATOR})


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def contractor_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Repairs closed before this are no longer the contractor's to see."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.REPAIRS_CONTRACTOR_DAYS)


class RepairQuerySet(models.QuerySet["Repair"]):
    def open(self) -> RepairQuerySet:
        return self.filter(closed_at__isnull=True)

    def visible_to(self, actor: Actor) -> RepairQuerySet:
        """Residents: repairs to a home they hold an account for now, reported on or after
        the day they joined it, and the shared areas' repairs of the block and estate of
        any home they live in now. Contractors: their firm's repairs, open or closed within
        REPAIRS_CONTRACTOR_DAYS. Staff with current data-protection training: the repairs
        team, customer services and the DPO every repair; housing officers those of the
        households they may see (their patches, and break glass) and of their patches' shared
        areas. Everybody else: nothing."""
        if actor.is_resident and actor.person_id:
            return self.filter(_resident_rule(actor))
        if actor.is_contractor and actor.firm_id:
            return self.filter(firm_id=actor.firm_id).filter(
                Q(closed_at__isnull=True) | Q(closed_at__gte=contractor_cutoff())
            )
        if not actor.reads_personal_data:
            return self.none()
        if actor.roles & STAFF_READERS:
            return self.all()
        if actor.roles & PATCH_SCOPED:
            # The households they may see (break glass too), and the shared areas of their patches.
            return self.filter(
                patch_rule(actor)
                | Q(block__estate__patch_id__in=actor.patch_ids)
                | Q(estate__patch_id__in=actor.patch_ids)
            )
        return self.none()


def _resident_rule(actor: Actor) -> Q:
    """Bounded by moments, not by a date worked out per row, so the index on (tenancy,
    reported_at) serves it."""
    own = Q(pk__in=[])
    for home in actor.homes:
        if home.holds_account:
            own |= Q(tenancy_id=home.tenancy_id, reported_at__gte=start_of(home.member_since))
    communal = Q(block_id__in={home.block_id for home in actor.homes}) | Q(
        estate_id__in={home.estate_id for home in actor.homes}
    )
    return own | communal


class Repair(models.Model):
    class NotifyBy(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        NONE = "none", "Do not send me updates"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        TRIAGED = "triaged", "Checked by our repairs team"
        ASSIGNED = "assigned", "Passed to a contractor"
        BOOKED = "booked", "Appointment booked"
        IN_PROGRESS = "in_progress", "Work in progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # What a resident quotes on the phone: short, and not a count of the landlord's repairs.
    reference = models.CharField(max_length=12, unique=True)
    # The housing management system's own job number, once it knows the repair.
    external_ref = models.CharField(max_length=64, blank=True)
    # Exactly one is set: the home (through its tenancy), or the shared area's block or estate.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs")
    category = models.CharField(max_length=40)
    priority = models.CharField(max_length=10, choices=[(p.value, PRIORITY_WORDS[p]) for p in Priority])
    description = models.TextField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REPORTED)
    # Who reported it: a resident (person), or a member of staff on the phone (user), or both.
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_by_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    # Access: when someone is in, how to get in, and whether someone needs extra help.
    availability = models.CharField(max_length=500, blank=True)
    access_notes = models.CharField(max_length=500, blank=True)
    needs_extra_help = models.BooleanField(default=False)
    # The one household phone number a contractor sees (the reporter's, unless they gave another).
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    # How the reporter chose to hear about it (triaged, booked, changed, completed, cancelled).
    notify_by = models.CharField(max_length=5, choices=NotifyBy.choices, default=NotifyBy.NONE)
    firm = models.ForeignKey(ContractorFirm, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs")
    # Damp and mould (England): the investigation's day, and an emergency hazard found.
    investigated_at = models.DateTimeField(null=True, blank=True)
    emergency_hazard = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Completed or cancelled: the moment the contractor's REPAIRS_CONTRACTOR_DAYS start.
    closed_at = models.DateTimeField(null=True, blank=True)
    # The rules it was reported under ("england" or "scotland"), kept so a change of setting
    # never rewrites a repair's clocks.
    nation = models.CharField(max_length=10)
    # Scotland's Right to Repair: what is owed for finishing late, worked out on completion.
    compensation_pence = models.PositiveIntegerField(null=True, blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    # A test household's (or a test block's): never in staff lists, as in staff searches. Kept
    # on the row so the queue leaves them out without joining every repair to its tenancy.
    is_test = models.BooleanField(default=False)

    objects = RepairQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(tenancy__isnull=False, block__isnull=True, estate__isnull=True)
                    | Q(tenancy__isnull=True, block__isnull=False, estate__isnull=True)
                    | Q(tenancy__isnull=True, block__isnull=True, estate__isnull=False)
                ),
                name="repair_is_for_one_home_or_one_shared_area",
            ),
            models.CheckConstraint(condition=Q(priority__in=[p.value for p in Priority]), name="repair_priority_known"),
            # A job raised in the housing system arrives once: the feed matches on its reference.
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""), name="repair_one_per_job"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(completed_at__isnull=False) | Q(cancelled_at__isnull=False),
                name="repair_closed_by_completion_or_cancellation",
            ),
            models.UniqueConstraint(
                fields=["external_ref"], condition=~Q(external_ref=""), name="repair_external_ref_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenancy", "reported_at"], name="repair_tenancy_reported"),
            models.Index(fields=["block", "reported_at"], name="repair_block_reported"),
            models.Index(fields=["estate", "reported_at"], name="repair_estate_reported"),
            models.Index(fields=["firm", "closed_at"], name="repair_firm_closed"),
            models.Index(fields=["status", "reported_at"], name="repair_status_reported"),
            # The staff queue's default page: open repairs, newest first, without reading the
            # closed ones (most of the table) or sorting.
            models.Index(
                F("reported_at").desc(),
                F("id").desc(),
                condition=Q(closed_at__isnull=True, is_test=False),
                name="repair_open_newest",
            ),
            # The audit log names a repair by its uuid as text: the exposure report finds the
            # repair an event was about (its place, the firms that held it) through this.
            models.Index(uuid_text("uuid"), name="repair_uuid_as_text"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def kind(self) -> Category:
        return category(self.category)

    @property
    def area_label(self) -> str:
        return AREA_BY_CODE[self.kind.area].label

    @property
    def is_communal(self) -> bool:
        return self.tenancy_id is None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def priority_label(self) -> str:
        return PRIORITY_WORDS[Priority(self.priority)]

    @property
    def compensation(self) -> str:
        pence = self.compensation_pence or 0
        return f"£{pence // 100}.{pence % 100:02d}"

    def place_label(self) -> str:
        """Where it is, as a resident names it: never the reporter's home for a shared area."""
        if self.block_id:
            return f"Shared areas of {self.block}"
        if self.estate_id:
            return f"Shared areas of {self.estate}"
        return str(self.tenancy.property) if self.tenancy else ""


_Part = TypeVar("_Part", bound="RepairPart")


class RepairParts(models.Manager[_Part]):
    """Rows made many at once (bulk_create skips save) take their repair's place too."""

    def bulk_create(self, objs: Iterable[_Part], *args: Any, **kwargs: Any) -> list[_Part]:
        made = list(objs)
        for part in made:
            part.take_the_repairs_place()
        return super().bulk_create(made, *args, **kwargs)


class RepairPart(models.Model):
    """A row that belongs to one repair and carries the repair's place (its tenancy, block or
    estate), copied when the row is made. The database wall (ADR 0032) matches a row by a key
    the row carries, never by a subquery to its repair; a repair's place never changes, so the
    copy never goes stale. Not indexed: the application always reaches these rows by repair."""

    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False, related_name="+"
    )
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False, related_name="+"
    )
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False, related_name="+"
    )

    class Meta:
        abstract = True

    def take_the_repairs_place(self) -> None:
        repair = self.repair  # type: ignore[attr-defined]
        self.tenancy_id, self.block_id, self.estate_id = repair.tenancy_id, repair.block_id, repair.estate_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.take_the_repairs_place()
        super().save(*args, **kwargs)


class RepairClock(RepairPart):
    """One deadline a repair runs against; met when the thing it asks for is done."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="clocks")
    objects = RepairParts["RepairClock"]()
    kind = models.CharField(max_length=20, choices=[(k.value, CLOCK_WORDS[k]) for k in ClockKind])
    due_at = models.DateTimeField()
    # To the minute (a 24-hour clock), not by the end of a day.
    precise = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["repair", "kind"], name="one_clock_of_each_kind")]
        indexes = [
            # The queue's "due soon" and "breached": open clocks by when they fall due.
            models.Index(fields=["due_at"], name="repair_clock_open_due", condition=Q(met_at__isnull=True)),
        ]

    @property
    def words(self) -> str:
        return CLOCK_WORDS[ClockKind(self.kind)]

    def is_breached(self, now: datetime.datetime | None = None) -> bool:
        return (self.met_at or now or timezone.now()) > self.due_at


class RepairEvent(RepairPart):
    """One entry on a repair's timeline. Staff notes stay internal unless published; a
    contractor's notes are seen by the repairs team and, when published, the resident."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Reported"
        TRIAGED = "triaged", "Checked by our repairs team"
        ASSIGNED = "assigned", "Passed to a contractor"
        ACCEPTED = "accepted", "Accepted by the contractor"
        BOOKED = "booked", "Appointment booked"
        APPOINTMENT_CHANGED = "appointment_changed", "Appointment changed"
        APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
        INVESTIGATED = "investigated", "Damp and mould investigated"
        SUMMARY_SENT = "summary_sent", "Written summary sent"
        UPDATE = "update", "Update"
        IN_PROGRESS = "in_progress", "Work started"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NOTE = "note", "Note"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="events")
    objects = RepairParts["RepairEvent"]()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=2000, blank=True)
    # Shown to the resident on their repair's page.
    published = models.BooleanField(default=False)
    # Shown to the contractor firm the repair is assigned to.
    for_contractor = models.BooleanField(default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    external_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["repair", "at"], name="repair_event_repair_at")]


def photo_name(photo: RepairPhoto, filename: str) -> str:
    """Stored under a random name: the resident's file name never reaches the disk."""
    return f"repairs/{uuid4().hex}.{photo.content_type.rsplit('/', 1)[-1]}"


class RepairPhoto(RepairPart):
    """A photo of the problem or of the work, re-encoded from its pixels (no EXIF, no location)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="photos")
    objects = RepairParts["RepairPhoto"]()
    file = models.FileField(upload_to=photo_name)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A contractor's progress or completion photo belongs to their note.
    event = models.ForeignKey(RepairEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Slot(models.Model):
    """A visit the repairs team offers for bookable repairs, in one patch. One repair a slot."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, related_name="repair_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_it_starts")
        ]
        indexes = [models.Index(fields=["patch", "starts_at"], name="repair_slot_patch_start")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%A %-d %B %Y}, {start:%-I%p}".replace("AM", "am").replace("PM", "pm") + (
            f" to {end:%-I%p}".replace("AM", "am").replace("PM", "pm")
        )


class Appointment(RepairPart):
    """A booked visit. The database lets each slot, and each repair, hold one live appointment,
    so two residents booking the last slot at once cannot both have it."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="appointments")
    objects = RepairParts["Appointment"]()
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-booked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(cancelled_at__isnull=True), name="one_visit_a_slot"),
            models.UniqueConstraint(
                fields=["repair"], condition=Q(cancelled_at__isnull=True), name="one_live_appointment_a_repair"
            ),
        ]


class Assignment(models.Model):
    """Which firm held a repair, and when: the repair's `firm` is the current holder (what
    access reads); this history is what the exposure report judges a contractor's past
    reads by."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="assignments")
    firm = models.ForeignKey(ContractorFirm, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    # Reassigned (at once), or the repair closed (access runs REPAIRS_CONTRACTOR_DAYS more).
    ended_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["repair"], condition=Q(ended_at__isnull=True), name="one_firm_at_a_time")
        ]


def communal_repair_homes(object_id: Any) -> models.QuerySet[Property]:
    """The homes a shared area's repair covers (every home in its block, or its estate), for
    the exposure report (AuditKind.place). `object_id` as for porch.notices.models.notice_homes:
    an expression for the audit event's object_id, valid in the returned queryset."""
    repair = _recorded(OuterRef(object_id) if isinstance(object_id, OuterRef) else object_id)
    return Property.objects.filter(
        Q(block__in=repair.values("block_id")) | Q(block__estate__in=repair.values("estate_id"))
    )


def communal_repair_patches(object_id: Any) -> models.QuerySet[Repair, Any]:
    """The patch a shared area's repair is in, for the exposure report's staff rule."""
    return _recorded(object_id).values_list(Coalesce("block__estate__patch_id", "estate__patch_id"))


def _recorded(object_id: Any) -> RepairQuerySet:
    return Repair.objects.alias(code=uuid_text("uuid")).filter(code=plain_uuid(object_id))
