"""Writes to anti-social behaviour cases, each atomic and audited, and the record of reading them.

Every audit row's subject is the reporter alone (ADR 0030): never a person named in the report,
whose record must carry no trace of it. The reporter is told of updates through the notification
service, in words that say only that there is something to read."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from porch.asb.access import may_change
from porch.asb.kinds import ASB_CASE, ASB_NAMED
from porch.asb.models import AsbCase, AsbEntry, AsbEvidence
from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.uploads import CheckedFile
from porch.housing.models import Person, Tenancy
from porch.notifications.kinds import Kind as NotificationKind
from porch.notifications.services import notify

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
Kind = AsbEntry.Kind
# What the reporter is told of, in words that carry nothing of the case.
TOLD = {
    Kind.PLAN: "There is an update on your report. Sign in to read it.",
    Kind.UPDATE: "There is an update on your report. Sign in to read it.",
    Kind.ACTION: "There is an update on your report. Sign in to read it.",
    Kind.CLOSED: "Your report is closed. Sign in to read why.",
}


class NotNow(Exception):
    """The change does not apply to the case as it stands; the words say why."""


@dataclass(frozen=True)
class NewReport:
    tenancy: Tenancy
    what_happened: str
    happened_when: str
    where: str
    where_detail: str = ""
    who_involved: str = ""
    at_risk_now: bool = False


def new_reference() -> str:
    return "A" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def report_make(
    *,
    actor: Actor,
    new: NewReport,
    files: Sequence[CheckedFile] = (),
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> AsbCase:
    """A resident's report from a home they live in, once however often the form is sent."""
    homes = {home.tenancy_id for home in actor.homes}
    reporter_id = actor.person_id
    if actor.is_viewing_as or not actor.is_resident or reporter_id is None or new.tenancy.pk not in homes:
        raise PermissionDenied

    def create() -> AsbCase:
        case = AsbCase.objects.create(
            reference=new_reference(),
            reporter_id=reporter_id,
            tenancy=new.tenancy,
            what_happened=new.what_happened,
            happened_when=new.happened_when,
            where=new.where,
            where_detail=new.where_detail,
            who_involved=new.who_involved,
            at_risk_now=new.at_risk_now,
            idempotency_key=key,
            is_test=new.tenancy.is_test,
        )
        entry = _entry(case, Kind.REPORTED, actor, published=True)
        _evidence_add(case, entry, actor, files)
        _record_change(actor, case, request, action="create")
        return case

    return create_once(AsbCase.objects.filter(reporter_id=reporter_id), key, create)


def diary_add(
    *,
    actor: Actor,
    case: AsbCase,
    text: str,
    happened_when: str,
    files: Sequence[CheckedFile] = (),
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> AsbEntry:
    """A further incident on the reporter's own case; the reporter reads it on their case."""
    if not actor.is_resident or not may_change(actor, case):
        raise PermissionDenied

    def create() -> AsbEntry:
        entry = _entry(case, Kind.DIARY, actor, published=True, text=text, key=key, happened_when=happened_when)
        _evidence_add(case, entry, actor, files)
        _record_change(actor, case, request, reason="diary entry")
        return entry

    return create_once(AsbEntry.objects.filter(case=case), key, create)


# --- Staff: working a case --------------------------------------------------------------------


def case_note(
    *,
    actor: Actor,
    case: AsbCase,
    kind: str,
    text: str,
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> AsbEntry:
    """An entry by the ASB team: an internal note, a witness statement or an action (internal),
    or an action plan or update (published to the reporter, who is told there is something new)."""
    _may_work(actor, case)
    published = kind in (Kind.PLAN, Kind.UPDATE)
    if kind not in (Kind.NOTE, Kind.WITNESS, Kind.ACTION, Kind.PLAN, Kind.UPDATE):
        raise ValueError("That is not an entry the ASB team writes.")

    def create() -> AsbEntry:
        entry = _entry(case, kind, actor, published=published, text=text, key=key)
        if published:
            _tell_reporter(case, kind)
        _record_change(actor, case, request, reason=f"{kind} added")
        return entry

    return create_once(AsbEntry.objects.filter(case=case), key, create)


def risk_assess(*, actor: Actor, case: AsbCase, risk: str, reason: str, request: HttpRequest | None = None) -> None:
    _may_work(actor, case)
    with transaction.atomic():
        locked = AsbCase.objects.select_for_update().get(pk=case.pk)
        locked.risk, locked.risk_reason = risk, reason
        locked.save(update_fields=["risk", "risk_reason"])
        _entry(locked, Kind.RISK, actor, published=False, text=f"{locked.get_risk_display()}: {reason}")
        _record_change(actor, locked, request, reason=f"risk assessed: {risk}")


def share_set(*, actor: Actor, case: AsbCase, shared: bool, request: HttpRequest | None = None) -> bool:
    """Let the housing officers of the home's patch read the case, or stop them. False if unchanged."""
    _may_work(actor, case)
    with transaction.atomic():
        locked = AsbCase.objects.select_for_update().get(pk=case.pk)
        if locked.shared_with_patch == shared:
            return False
        locked.shared_with_patch = shared
        locked.save(update_fields=["shared_with_patch"])
        words = (
            "Shared with the housing officer of the patch" if shared else "No longer shared with the housing officer"
        )
        _entry(locked, Kind.SHARED, actor, published=False, text=words)
        _record_change(actor, locked, request, reason="shared with patch" if shared else "sharing ended")
    return True


def named_link(*, actor: Actor, case: AsbCase, person: Person, request: HttpRequest | None = None) -> bool:
    """Link the report to the record of the person it names (or another person, in place of the
    first). False if it was already linked to them. Recorded on the case, about the reporter, and
    about each person linked or unlinked in the kind they are never told of (ASB_NAMED)."""
    _may_work(actor, case)
    with transaction.atomic():
        locked = AsbCase.objects.select_for_update().get(pk=case.pk)
        before = locked.named_person_id
        if before == person.pk:
            return False
        locked.named_person = person
        locked.save(update_fields=["named_person"])
        text = f"Linked to the record of {person.full_name} ({person.housing_reference})"
        _entry(locked, Kind.LINKED, actor, published=False, text=text)
        _record_change(actor, locked, request, reason="person named linked to a record")
        if before is not None:
            _record_named(actor, locked, before, "unlinked", request)
        _record_named(actor, locked, person.pk, "linked", request)
    return True


def named_unlink(*, actor: Actor, case: AsbCase, request: HttpRequest | None = None) -> bool:
    """Take the link to a person's record away. False if there was none."""
    _may_work(actor, case)
    with transaction.atomic():
        locked = AsbCase.objects.select_for_update().get(pk=case.pk)
        before = locked.named_person_id
        if before is None:
            return False
        locked.named_person = None
        locked.save(update_fields=["named_person"])
        _entry(locked, Kind.LINKED, actor, published=False, text="The link to a person's record was removed")
        _record_change(actor, locked, request, reason="link to the person named removed")
        _record_named(actor, locked, before, "unlinked", request)
    return True


def case_close(
    *, actor: Actor, case: AsbCase, reporter_view: str, text: str, request: HttpRequest | None = None
) -> bool:
    """Close the case with what the reporter said of it recorded. False if already closed."""
    _may_work(actor, case)
    with transaction.atomic():
        locked = AsbCase.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            return False
        locked.status = AsbCase.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.reporter_view = reporter_view
        locked.save(update_fields=["status", "closed_at", "reporter_view"])
        _entry(locked, Kind.CLOSED, actor, published=True, text=text)
        _tell_reporter(locked, Kind.CLOSED)
        _record_change(actor, locked, request, reason="closed")
    return True


def cases_seen(actor: Actor, cases: Sequence[AsbCase], action: str, request: HttpRequest | None = None) -> None:
    """Every read: one row per case, about the reporter alone."""
    if cases:
        seen = [Seen(object_id=case.uuid, subject_ids=[case.reporter_id], tenancy_id=case.tenancy_id) for case in cases]
        record_many(actor=actor, action=action, object_type=ASB_CASE, seen=seen, request=request)


def evidence_seen(actor: Actor, case: AsbCase, evidence: AsbEvidence, request: HttpRequest | None = None) -> None:
    record(
        actor=actor,
        action="download",
        object_type=ASB_CASE,
        object_id=case.uuid,
        subject_ids=[case.reporter_id],
        tenancy_id=case.tenancy_id,
        reason=f"evidence {evidence.uuid}",
        request=request,
    )


def named_seen(actor: Actor, case: AsbCase, request: HttpRequest | None = None) -> None:
    """The linked record shown on the case page: a read about that person, never told to them."""
    if case.named_person_id is not None:
        record(
            actor=actor,
            action="view",
            object_type=ASB_NAMED,
            object_id=case.uuid,
            subject_ids=[case.named_person_id],
            request=request,
        )


def candidates_seen(actor: Actor, case: AsbCase, people: Sequence[Person], request: HttpRequest | None = None) -> None:
    """The people offered while looking for the record a report names: a read about each, in the
    kind they are never told of (the search itself says someone may have been reported)."""
    seen = [
        Seen(object_id=case.uuid, subject_ids=[person.pk], reason="looking for the person named") for person in people
    ]
    if seen:
        record_many(actor=actor, action="search", object_type=ASB_NAMED, seen=seen, request=request)


def _record_named(actor: Actor, case: AsbCase, person_id: int, what: str, request: HttpRequest | None) -> None:
    record(
        actor=actor,
        action="change",
        object_type=ASB_NAMED,
        object_id=case.uuid,
        subject_ids=[person_id],
        reason=what,
        request=request,
    )


def _may_work(actor: Actor, case: AsbCase) -> None:
    if actor.is_resident or not may_change(actor, case):
        raise PermissionDenied


def _entry(
    case: AsbCase,
    kind: str,
    actor: Actor,
    *,
    published: bool,
    text: str = "",
    key: uuid.UUID | None = None,
    happened_when: str = "",
) -> AsbEntry:
    return AsbEntry.objects.create(
        case=case,
        reporter_id=case.reporter_id,
        kind=kind,
        text=text,
        published=published,
        by_id=actor.user_id,
        idempotency_key=key,
        happened_when=happened_when,
    )


def _evidence_add(case: AsbCase, entry: AsbEntry, actor: Actor, files: Sequence[CheckedFile]) -> None:
    for checked in files:
        AsbEvidence.objects.create(
            case=case,
            reporter_id=case.reporter_id,
            entry=entry,
            file=checked.content,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by_id=actor.user_id,
        )


def _tell_reporter(case: AsbCase, kind: str) -> None:
    """Inside the change's transaction: sent after the commit, never if it rolls back. To the
    reporter alone, never their household."""
    person = Person.objects.filter(pk=case.reporter_id, user__is_active=True).first()
    if person is None or kind not in TOLD:
        return
    link = reverse("asb:detail", args=[case.uuid])
    notify(
        person=person,
        kind=NotificationKind.CASES,
        subject="An update on your report",
        text=TOLD[Kind(kind)],
        link=link,
        hidden_during_view_as=True,  # that a report exists is the reporter's alone
    )


def _record_change(
    actor: Actor, case: AsbCase, request: HttpRequest | None, *, action: str = "change", reason: str = ""
) -> None:
    record(
        actor=actor,
        action=action,
        object_type=ASB_CASE,
        object_id=case.uuid,
        subject_ids=[case.reporter_id],
        tenancy_id=case.tenancy_id,
        reason=reason,
        request=request,
    )
