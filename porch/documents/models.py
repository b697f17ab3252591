"""Documents are private by default.

A document's type decides its audience. A type is internal unless a system
administrator marks it resident-visible, and the categories that must never
reach residents (ASB case files, witness statements, internal notes) cannot be
marked at all: the database refuses it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone

from porch.core.roles import ASB_READERS
from porch.housing.models import Membership, Person, Tenancy

if TYPE_CHECKING:
    from porch.core.actor import Actor


class DocumentType(models.Model):
    class Category(models.TextChoices):
        LETTER = "letter", "Letter"
        AGREEMENT = "agreement", "Tenancy agreement"
        STATEMENT = "statement", "Statement"
        CERTIFICATE = "certificate", "Safety certificate"
        ASB_CASE_FILE = "asb_case_file", "ASB case file"
        WITNESS_STATEMENT = "witness_statement", "Witness statement"
        INTERNAL_NOTE = "internal_note", "Internal note"

    NEVER_RESIDENT_VISIBLE = (Category.ASB_CASE_FILE, Category.WITNESS_STATEMENT, Category.INTERNAL_NOTE)
    ASB = (Category.ASB_CASE_FILE, Category.WITNESS_STATEMENT)

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    resident_visible = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident_visible=False)
                | ~Q(category__in=["asb_case_file", "witness_statement", "internal_note"]),
                name="sensitive_types_never_resident_visible",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_resident_visible(self) -> bool:
        return self.category not in self.NEVER_RESIDENT_VISIBLE


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, actor: Actor) -> DocumentQuerySet:
        """Residents: resident-visible types, in a tenancy they currently hold, and
        either addressed to them alone, or addressed to the whole tenancy and dated
        on or after the day their membership began (a person who joins a tenancy
        does not inherit its earlier letters and statements; those dated before the
        tenancy began count as dated on its first day; one with a `joined_by` day, such as
        a complaint's response, only if they had joined by that day).
        Staff: documents of tenancies they can see; ASB material only for ASB readers.
        Everybody else: nothing."""
        if actor.is_resident and actor.person_id:
            return self.filter(
                Q(addressee_id=actor.person_id) | Q(_dated_while_member(actor), addressee__isnull=True),
                type__resident_visible=True,
                tenancy_id__in=actor.tenancy_ids,
            )
        tenancies = Tenancy.objects.visible_to(actor)
        if actor.is_staff:
            visible = self.filter(tenancy__in=tenancies)
            if not actor.roles & ASB_READERS:
                visible = visible.exclude(type__category__in=DocumentType.ASB)
            return visible
        return self.none()


def _dated_while_member(actor: Actor) -> Q:
    """Documents of a tenancy the resident holds, dated on or after the day they joined it;
    papers dated before the tenancy began (an offer, the agreement) count as dated on its
    first day, so a member from the first day sees them all. Built from Actor.homes: one
    indexed predicate per home, no query over memberships per row."""
    allowed = Q(pk__in=[])
    for home in actor.homes:
        if not home.holds_account:
            continue
        if home.member_since <= home.tenancy_started:
            allowed |= Q(tenancy_id=home.tenancy_id)
        else:
            allowed |= Q(tenancy_id=home.tenancy_id, dated__gte=home.member_since, joined_by__isnull=True)
            allowed |= Q(tenancy_id=home.tenancy_id, joined_by__gte=home.member_since)
    return allowed


def stored_name(document: Document, filename: str) -> str:
    """Files are stored under the record's own id: nothing the uploader chose reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{document.created_at or timezone.now():%Y/%m}/{document.uuid}.{extension}"


class Document(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="documents")
    # When set, only this person (a current member of the tenancy) sees it.
    addressee = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    # The date the document bears (a letter's date, a statement's date). Residents who
    # join a tenancy see its whole-tenancy documents from the day they joined.
    dated = models.DateField(default=timezone.localdate)
    # When set, only members who had joined by this day see it, whatever its date: a response to
    # a complaint goes to those who could read the complaint (made that day), not a later joiner.
    joined_by = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=stored_name)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-dated", "-created_at"]
        indexes = [models.Index(fields=["tenancy", "dated"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_type(self) -> str:
        """Events about documents residents cannot see never reach a privacy page,
        which would reveal that such documents exist."""
        if self.type.category in DocumentType.ASB:
            return "asb_document"  # so the exposure report can tell who may read ASB material
        return "document" if self.type.resident_visible else "internal_document"

    @property
    def subject_ids(self) -> list[int]:
        """The people this document is about, for the audit log (see document_subjects)."""
        return document_subjects([self])[self.pk]


def document_subjects(documents: Sequence[Document]) -> dict[int, list[int]]:
    """For each document, the people it is about: its addressee, or the members of its
    tenancy on the day it is dated (and, if it has one, who had joined by its `joined_by`
    day), never someone who joined later or had left before.
    A date outside the tenancy counts as its first or last day. One query for them all
    (the documents' tenancies must be loaded)."""
    whole_tenancy = {document.tenancy_id for document in documents if not document.addressee_id}
    members: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
    for tenancy_id, person_id, start, end in Membership.objects.filter(tenancy_id__in=whole_tenancy).values_list(
        "tenancy_id", "person_id", "start_date", "end_date"
    ):
        members[tenancy_id].append((person_id, start, end))
    subjects: dict[int, list[int]] = {}
    for document in documents:
        if document.addressee_id:
            subjects[document.pk] = [document.addressee_id]
            continue
        day = document.tenancy.clamp(document.dated)
        joined_by = min(day, document.joined_by or day)
        in_force = {
            person
            for person, start, end in members[document.tenancy_id]
            if start <= joined_by and (end is None or end > day)
        }
        subjects[document.pk] = sorted(in_force)
    return subjects
