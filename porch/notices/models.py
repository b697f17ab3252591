"""Notices for a block, an estate or a patch: a lift out of service, fire safety checks,
planned works, the water off.

A notice is about a place, never a person. Its row carries the one place it is for
(exactly one of block, estate and patch: the database refuses anything else), and that
decides who may see it: the people whose current home is in that place, and the staff
whose patch holds it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from porch.core.expressions import plain_uuid, uuid_text
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED
from porch.housing.models import Block, Estate, Patch, Property

if TYPE_CHECKING:
    from porch.core.actor import Actor

Place = Block | Estate | Patch


class NoticeQuerySet(models.QuerySet["Notice"]):
    def current(self, on: datetime.date | None = None) -> NoticeQuerySet:
        """Started, not yet past its last day, and not withdrawn."""
        today = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today, withdrawn_at__isnull=True
        )

    def for_homes(self, homes: models.QuerySet[Property]) -> NoticeQuerySet:
        """Notices for the block, the estate or the patch of any of these homes."""
        return self.filter(
            Q(block_id__in=homes.values("block_id"))
            | Q(estate_id__in=homes.values("block__estate_id"))
            | Q(patch_id__in=homes.values("block__estate__patch_id"))
        )

    def in_patches(self, patch_ids: frozenset[int]) -> NoticeQuerySet:
        return self.filter(
            Q(patch_id__in=patch_ids) | Q(estate__patch_id__in=patch_ids) | Q(block__estate__patch_id__in=patch_ids)
        )

    def visible_to(self, actor: Actor) -> NoticeQuerySet:
        """Residents: current notices for the block, estate or patch of a home whose tenancy
        is in force and which they hold an account-holding membership of now (tenants and
        homeowners alike; a former resident sees none). Staff, only with current
        data-protection training: organisation-wide roles every notice; housing officers
        the notices for places in their patches. Everybody else: nothing."""
        if actor.is_resident and actor.person_id:
            held = [home for home in actor.homes if home.holds_account]
            return self.current().filter(
                Q(block_id__in={home.block_id for home in held})
                | Q(estate_id__in={home.estate_id for home in held})
                | Q(patch_id__in={home.patch_id for home in held})
            )
        if not actor.reads_personal_data:
            return self.none()
        if actor.roles & ORGANISATION_WIDE:
            return self.all()
        if actor.roles & PATCH_SCOPED:
            return self.in_patches(actor.patch_ids)
        return self.none()


class Notice(models.Model):
    class Kind(models.TextChoices):
        LIFT = "lift", "Lift out of service"
        FIRE_SAFETY = "fire_safety", "Fire safety checks"
        PLANNED_WORKS = "planned_works", "Planned works"
        WATER_OFF = "water_off", "Water off"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # Exactly one is set: the place the notice is for.
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=2000)
    starts_on = models.DateField()
    # The last day it is shown (inclusive); empty: until it is withdrawn.
    ends_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Empty only for a test household's notice, which the portal makes itself (synthetic.py).
    posted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-posted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(block__isnull=False, estate__isnull=True, patch__isnull=True)
                    | Q(block__isnull=True, estate__isnull=False, patch__isnull=True)
                    | Q(block__isnull=True, estate__isnull=True, patch__isnull=False)
                ),
                name="notice_is_for_exactly_one_place",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="notice_ends_on_or_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["lift", "fire_safety", "planned_works", "water_off", "other"]),
                name="notice_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Place:
        place = self.block or self.estate or self.patch
        assert place is not None  # the database guarantees one (notice_is_for_exactly_one_place)
        return place

    @property
    def place_words(self) -> str:
        """The place as residents and staff read it: "Ashdown House", "Ashdown Estate", "the North area"."""
        if self.patch_id:
            return f"the {self.place} area"
        return str(self.place)

    def status(self, on: datetime.date | None = None) -> str:
        today = on or timezone.localdate()
        if self.withdrawn_at is not None:
            return "Withdrawn"
        if self.starts_on > today:
            return "Not started"
        if self.ends_on is not None and self.ends_on < today:
            return "Ended"
        return "Showing"

    @property
    def is_current(self) -> bool:
        return self.status() == "Showing"


def notice_homes(object_id: Any) -> models.QuerySet[Property]:
    """The homes a notice covers, for the exposure report (AuditKind.place): every home in
    its block, its estate or its patch.

    `object_id` is an expression for the audit event's object_id, valid in the returned
    queryset (the exposure rules pass an OuterRef). The notice is found in a subquery one
    level further down, so an OuterRef is wrapped in one more; a plain Value("...") is the
    same at every level. The ids are compared as plain text, so it works on SQLite and
    PostgreSQL alike."""
    notice = _recorded(OuterRef(object_id) if isinstance(object_id, OuterRef) else object_id)
    return Property.objects.filter(
        Q(block__in=notice.values("block_id"))
        | Q(block__estate__in=notice.values("estate_id"))
        | Q(block__estate__patch__in=notice.values("patch_id"))
    )


def notice_patches(object_id: Any) -> models.QuerySet[Notice, Any]:
    """The patch a notice is for, for the exposure report's staff rule (AuditKind.place_patches):
    its block's, its estate's or its own, so a place with no homes yet still has one.
    `object_id` as for notice_homes, here valid in the notice's own queryset."""
    patch = Coalesce("block__estate__patch_id", "estate__patch_id", "patch_id")
    return _recorded(object_id).values_list(patch)


def _recorded(object_id: Any) -> NoticeQuerySet:
    """The notice an audit event's object_id names, compared as plain text (see plain_uuid)."""
    return Notice.objects.alias(code=uuid_text("uuid")).filter(code=plain_uuid(object_id))
