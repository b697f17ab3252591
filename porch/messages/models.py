"""Message threads between residents and the landlord's teams (ADR 0031).

A thread belongs to a tenancy, which decides which staff may see it (the household's, as for
every record of the home), and is either shared with the tenancy's account holders or private
to the one who started it (`private_to`). Each message is a timeline entry of its own table
(porch.core.cases), carrying the tenancy too, so the access rule and the database policies to
come (issue 15) are one key on each table. A thread names a repair, complaint or rent account
as the resident wrote it, or (started from that record's page) by the kind and id its module
declares: messages never import another module."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from porch.core.cases import TimelineEntry, TimelineQuerySet
from porch.core.roles import PATCH_SCOPED
from porch.housing.models import Person, Tenancy, patch_rule
from porch.messages.teams import READERS, Team, Topic

if TYPE_CHECKING:
    from porch.core.actor import Actor


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, actor: Actor) -> ThreadQuerySet:
        """Residents: the threads of the tenancies they hold an account for now, started on or
        after the day they joined it, shared or private to them. Staff with current training in
        a team, and the DPO: the threads of every household they may see (housing officers:
        their patches, and break glass). Everybody else (ASB officers, complaints handlers, system
        administrators): nothing."""
        if actor.is_resident and actor.person_id:
            return self.none() if actor.viewing_as_without(READERS) else self.filter(_resident_rule(actor))
        if not actor.reads_personal_data or not (actor.roles & READERS):
            return self.none()
        if actor.roles & (READERS - PATCH_SCOPED):
            return self.all()
        return self.filter(patch_rule(actor))


def _resident_rule(actor: Actor) -> Q:
    own = Q(pk__in=[])
    for home in actor.homes:
        if home.holds_account:
            own |= Q(tenancy_id=home.tenancy_id, started_at__date__gte=home.member_since)
    return own & (Q(private_to__isnull=True) | Q(private_to_id=actor.person_id))


class Thread(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="message_threads")
    # Set: only this account holder (and staff) read it. Empty: every account holder of the tenancy.
    private_to = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=120)
    topic = models.CharField(max_length=10, choices=Topic.choices, default=Topic.OTHER)
    # A repair, complaint or rent account as the resident wrote it: never a key into another module.
    about_reference = models.CharField(max_length=40, blank=True)
    # Started from a record's page: its kind (a SubjectKind key: "repair") and id. Shown to each
    # viewer only through the owning module's access rule (porch.messages.about).
    about_kind = models.CharField(max_length=20, blank=True)
    about_code = models.CharField(max_length=40, blank=True)
    team = models.CharField(max_length=20, choices=Team.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    # The newest message's moment: the inbox runs newest first on it.
    last_at = models.DateTimeField(default=timezone.now)
    # Waiting for the team: the resident wrote last.
    awaiting_staff = models.BooleanField(default=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    # A test household's: never in a team's inbox.
    is_test = models.BooleanField(default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at", "-id"]
        indexes = [
            models.Index(fields=["tenancy", "last_at"], name="thread_tenancy_last"),
            # A team's inbox, newest first, paged by position.
            models.Index(fields=["team", "last_at", "id"], condition=Q(is_test=False), name="thread_team_inbox"),
            # The inbox's default view: the threads waiting for a reply.
            models.Index(
                fields=["team", "last_at", "id"],
                condition=Q(is_test=False, awaiting_staff=True),
                name="thread_team_waiting",
            ),
            # "Taken by me".
            models.Index(fields=["assigned_to", "team", "last_at", "id"], name="thread_assigned_inbox"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_shared(self) -> bool:
        return self.private_to_id is None


def attachment_name(message: Message, filename: str) -> str:
    """Stored under a random name: the resident's file name never reaches the disk."""
    return f"messages/{uuid4().hex}.{message.attachment_type.rsplit('/', 1)[-1]}"


class Message(TimelineEntry):
    """One message on a thread: every one is published (the thread is the conversation)."""

    CASE_FIELD: ClassVar[str] = "thread"

    class Kind(models.TextChoices):
        RESIDENT = "resident", "Message from the household"
        STAFF = "staff", "Message from us"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="entries")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The resident who wrote it (staff messages: `by`, the member of staff).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # One checked file (porch.core.uploads: a PDF, or an image re-encoded without its metadata).
    attachment = models.FileField(upload_to=attachment_name, blank=True)
    attachment_type = models.CharField(max_length=30, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)

    objects: ClassVar[TimelineQuerySet[Message]] = TimelineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta(TimelineEntry.Meta):
        indexes = [models.Index(fields=["thread", "at"], name="message_thread_at")]
