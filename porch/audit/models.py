"""The append-only audit log of personal-data reads and writes.

Only porch.audit.services.record() writes here (through porch.audit.append). The keys to the housing record are
named, not imported: every app records here, so the audit log sits below them all. On PostgreSQL a trigger
refuses UPDATE and DELETE; every row carries the hash of the row before it in its
chain, so an edited or removed row breaks the chain (see `manage.py audit_verify`), and
anchors seal the newest row of every chain from time to time (ADR 0013).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

SESSION_REF_LENGTH = 24


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        DOWNLOAD = "download", "Downloaded"
        SEARCH = "search", "Searched"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_UP = "sign_up", "Signed up"
        ADMIN = "admin", "Used the admin site"
        BREAK_GLASS = "break_glass", "Opened outside their patch"
        VIEW_AS = "view_as", "Viewed as the resident"

    at = models.DateTimeField()
    # No index of its own on actor or subject: audit_actor_at and audit_subject_at lead with
    # them and serve every lookup (and the PROTECT checks), so a row feeds two indexes fewer.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=True,
        db_index=False,
    )
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_role = models.CharField(max_length=200)
    # One row per data subject, so "who saw this person" is one index range scan.
    subject = models.ForeignKey("housing.Person", on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    # The tenancy the data was reached through: a resident sees an event only
    # if it happened while they were a member of that tenancy.
    tenancy = models.ForeignKey(
        "housing.Tenancy", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    client_ip = models.CharField(max_length=45, blank=True)
    # The named route that served it ("documents:download"), so a report can be narrowed to one page.
    route = models.CharField(max_length=100, blank=True)
    # A keyed hash of the browser session's key (never the key itself): "what did this session see".
    session_ref = models.CharField(max_length=SESSION_REF_LENGTH, blank=True)
    # The person it is about did it themselves (a resident opening their own page), not on
    # anyone's behalf. Their privacy page leaves these out, by an index (audit_subject_others),
    # so it stays as quick however often they sign in. Derived, and checked by audit_verify.
    by_subject = models.BooleanField(default=False)
    # Which of the AUDIT_CHAINS hash chains the row is in (rows from before there were several: 1).
    chain = models.PositiveSmallIntegerField(default=1)
    # The row's place in its chain: 1, 2, 3... Unique with the chain, so no chain can fork (two
    # writers cannot both add row n + 1), and, unlike a unique hash, each new row goes at the
    # right-hand end of that index, which stays in memory however long the log grows (ADR 0018).
    seq = models.PositiveBigIntegerField()
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # Each row has at most one successor in its chain: two writers can never fork it.
            # It is also how a writer finds where its chain ends (the highest seq).
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq"),
        ]
        indexes = [
            # A resident's privacy page: what others did with their data, newest first.
            models.Index(
                F("subject"), F("at").desc(), F("id").desc(), name="audit_subject_others", condition=Q(by_subject=False)
            ),
            models.Index(fields=["subject", "at"], name="audit_subject_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            # Only rows written from a browser session carry a reference: the rest stay out of the index.
            models.Index(fields=["session_ref", "at"], name="audit_session_at", condition=~models.Q(session_ref="")),
        ]
        # A time-window index ("every event between T1 and T2") is added by migration 0004:
        # BRIN on PostgreSQL (rows arrive in time order, so it stays tiny), B-tree on SQLite.

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"


class Chain(models.Model):
    """One row per hash chain (id = the chain's number). On PostgreSQL a writer locks one free
    row (FOR UPDATE SKIP LOCKED) while it appends to that chain, so writers spread over the
    chains and none waits while another chain is free.

    The row also keeps where its chain ends, written in the same transaction as the rows
    appended: the next writer reads it with the lock, not from the log's rows, which behind
    the database wall are about other people (ADR 0032). Empty (seq None) until a writer
    has read it from the rows once."""

    seq = models.BigIntegerField(null=True)
    row_hash = models.CharField(max_length=64, blank=True)


class Anchor(models.Model):
    """The newest row hash of every chain at one moment, sealed with AUDIT_KEY, each anchor
    sealing the one before it. Rows removed from the end of a chain before the newest anchor
    are caught, because the anchor names a row that is no longer there (`audit_anchor`)."""

    at = models.DateTimeField()
    heads = models.JSONField()  # {"1": "<row hash>", ...}: only chains with rows
    # Unique: anchors are one line, so two written at once cannot both follow the same one.
    previous_seal = models.CharField(max_length=64, unique=True)
    seal = models.CharField(max_length=64, unique=True)


class Period(models.Model):
    """Something a staff member held from started_at until ended_at.

    Written by database triggers (migration 0004) whenever the live table changes,
    however it is changed, so the exposure reports can ask what the access model
    allowed at the moment of an old event. started_at is empty for what was already
    held when the history began; ended_at is empty while it is still held."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    started_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True


class RoleHeld(Period):
    """A staff role grant (accounts_rolegrant), with the dates it was held."""

    role = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["user", "role"], name="audit_roleheld_user")]


class PatchHeld(Period):
    """A staff member's patch (accounts_user_patches), with the dates it was theirs."""

    patch = models.ForeignKey("housing.Patch", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["user", "patch"], name="audit_patchheld_user")]


class TrainingHeld(Period):
    """The training date on a staff member's record, and when the record said so."""

    completed_on = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["user"], name="audit_trainingheld_user")]
