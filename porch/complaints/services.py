"""Writes to complaints, each atomic and audited, and the record of reading them.

A complaint moves: made (stage 1 starts, its clocks with it), acknowledged, perhaps extended
with a reason, responded to (a letter, stored as a document of the tenancy), then closed or
taken to stage 2 by the resident (no reason needed), where a different handler acknowledges,
perhaps extends, and gives the final response, which names the ombudsman."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.complaints import clocks, letters, notifications
from porch.complaints.access import household_ids, may_change
from porch.complaints.kinds import COMPLAINT
from porch.complaints.models import Complaint, ComplaintEntry, ComplaintStage
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.uploads import CheckedFile
from porch.documents.models import DocumentType
from porch.documents.services import document_upload
from porch.housing.models import Tenancy

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
Kind = ComplaintEntry.Kind
# The entries that mean someone considered a stage: at stage 2 none of them may be theirs.
HANDLING = (Kind.ACKNOWLEDGED, Kind.EXTENDED, Kind.RESPONDED)


class NotNow(Exception):
    """The change does not apply to the complaint as it stands; the words say why."""


class SameHandler(NotNow):
    """Someone who handled stage 1 tried to handle stage 2."""


@dataclass(frozen=True)
class NewComplaint:
    tenancy: Tenancy
    about: str
    wanted: str
    repair_reference: str = ""


def new_reference() -> str:
    return "C" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def complaint_make(*, actor: Actor, new: NewComplaint, key: uuid.UUID, request: HttpRequest | None = None) -> Complaint:
    """A resident's complaint about a home they hold, once however often the form is sent."""
    if actor.is_viewing_as or not actor.is_resident or new.tenancy.pk not in actor.tenancy_ids:
        raise PermissionDenied

    def create() -> Complaint:
        region = clocks.region()
        complaint = Complaint.objects.create(
            reference=new_reference(),
            tenancy=new.tenancy,
            raised_by_id=actor.person_id,
            received_on=timezone.localdate(),
            about=new.about,
            wanted=new.wanted,
            repair_reference=new.repair_reference,
            nation=clocks.nation_of(region),
            region=region,
            idempotency_key=key,
            is_test=new.tenancy.is_test,
        )
        stage_start(complaint, 1, complaint.received_on)
        _entry(complaint, Kind.RAISED, actor, published=True)
        _record_change(actor, complaint, request, action="create")
        return complaint

    return create_once(Complaint.objects.filter(tenancy=new.tenancy), key, create)


def stage_start(complaint: Complaint, number: int, received_on: datetime.date) -> ComplaintStage:
    """A stage and its clocks, from the complaint's own nation and bank holidays."""
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        tenancy_id=complaint.tenancy_id,
        number=number,
        received_on=received_on,
        acknowledge_by=clocks.acknowledge_by(received_on, complaint.nation, number, complaint.region),
        respond_by=clocks.respond_by(received_on, None, complaint.nation, number, complaint.region),
    )
    complaint.stage = number
    complaint.status = Complaint.Status.OPEN
    complaint.closed_at = None
    complaint.due_on = next_due(stage)
    complaint.save(update_fields=["stage", "status", "closed_at", "due_on"])
    return stage


def next_due(stage: ComplaintStage) -> datetime.date | None:
    """The stage's next deadline: acknowledging it, then responding; none once responded."""
    if stage.responded_on is not None:
        return None
    if stage.acknowledge_by is not None and stage.acknowledged_on is None:
        return stage.acknowledge_by
    return stage.deadline


def current_stage(complaint: Complaint) -> ComplaintStage:
    return ComplaintStage.objects.get(complaint=complaint, number=complaint.stage)


# --- Staff: working a complaint -------------------------------------------------------------


def complaint_acknowledge(*, actor: Actor, complaint: Complaint, request: HttpRequest | None = None) -> bool:
    """Acknowledge the current stage today; under the English code its response clock starts
    now. False if it was already acknowledged."""
    with transaction.atomic():
        locked, stage = _lock_for_handling(actor, complaint)
        if stage.acknowledge_by is None or stage.acknowledged_on is not None:
            return False
        stage.acknowledged_on = timezone.localdate()
        stage.respond_by = clocks.respond_by(
            stage.received_on, stage.acknowledged_on, locked.nation, stage.number, locked.region
        )
        stage.save(update_fields=["acknowledged_on", "respond_by"])
        _handled_by(actor, locked, stage)
        _entry(locked, Kind.ACKNOWLEDGED, actor, published=True, text=f"We will respond by {_day(stage.deadline)}.")
        _record_change(actor, locked, request, reason=f"stage {stage.number} acknowledged")
    return True


def complaint_extend(
    *, actor: Actor, complaint: Complaint, days: int, reason: str, request: HttpRequest | None = None
) -> datetime.date:
    """Give the current stage more time, counted from its own deadline, with the reason the
    resident reads. Raises NotNow once it is answered, and ValueError beyond the rules' limit."""
    with transaction.atomic():
        locked, stage = _lock_for_handling(actor, complaint)
        if stage.responded_on is not None:
            raise NotNow("This stage has already been responded to.")
        stage.extended_to = clocks.extended(stage.respond_by, days, locked.nation, stage.number, locked.region)
        stage.extension_reason = reason
        stage.save(update_fields=["extended_to", "extension_reason"])
        _handled_by(actor, locked, stage)
        text = f"We now aim to respond by {_day(stage.extended_to)}. Why: {reason}"
        _entry(locked, Kind.EXTENDED, actor, published=True, text=text)
        _record_change(actor, locked, request, reason=f"stage {stage.number} extended")
    return stage.extended_to


def complaint_respond(
    *,
    actor: Actor,
    complaint: Complaint,
    outcome: str,
    text: str,
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> bool:
    """Respond to the current stage: the letter (a tagged PDF) becomes a resident-visible
    document of the tenancy, and the resident is told (the notification hook, after commit).
    False if the stage was already responded to (a double submit)."""
    with transaction.atomic():
        locked, stage = _lock_for_handling(actor, complaint)
        if stage.responded_on is not None:
            return False
        if stage.acknowledge_by is not None and stage.acknowledged_on is None:
            stage.acknowledged_on = timezone.localdate()  # a response acknowledges it too
        stage.responded_on = timezone.localdate()
        stage.outcome = outcome
        letter = letters.response_pdf(actor, locked, stage, text)
        stage.response = document_upload(
            actor=actor,
            tenancy=locked.tenancy,
            document_type=DocumentType.objects.get(name=letters.RESPONSE_TYPE),
            title=letters.letter_title(locked, stage),
            dated=stage.responded_on,
            checked=CheckedFile(ContentFile(letter, name="response.pdf"), "application/pdf", len(letter)),
            addressee=None,
            # Those who may read the complaint, not a member who joined since it was made.
            joined_by=locked.received_on,
            idempotency_key=key,
            request=request,
        )
        stage.save(update_fields=["acknowledged_on", "responded_on", "outcome", "response"])
        _handled_by(actor, locked, stage, considered=True)
        locked.due_on = None
        locked.save(update_fields=["due_on"])
        _entry(locked, Kind.RESPONDED, actor, published=True, text=text)
        _record_change(actor, locked, request, reason=f"stage {stage.number} responded: {outcome}")
    return True


def complaint_note(
    *,
    actor: Actor,
    complaint: Complaint,
    text: str,
    published: bool,
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> ComplaintEntry:
    """An internal note, or an update the resident reads; one entry however often it is sent.
    At stage 2, never by anyone who handled stage 1 (as every other handler's change)."""
    with transaction.atomic():
        complaint, _ = _lock_for_handling(actor, complaint)

        def create() -> ComplaintEntry:
            kind = Kind.UPDATE if published else Kind.NOTE
            entry = _entry(complaint, kind, actor, published=published, text=text)
            entry.idempotency_key = key
            entry.save(update_fields=["idempotency_key"])
            _record_change(actor, complaint, request, reason="update published" if published else "internal note")
            return entry

        return create_once(ComplaintEntry.objects.filter(complaint=complaint), key, create)


def complaint_close(*, actor: Actor, complaint: Complaint, request: HttpRequest | None = None) -> bool:
    """Close a complaint whose current stage has been responded to. After stage 1 the resident
    may still take it to stage 2, which opens it again. False if it was already closed."""
    with transaction.atomic():
        locked, stage = _lock_for_handling(actor, complaint)
        if not locked.is_open:
            return False
        if stage.responded_on is None:
            raise NotNow("Respond to the complaint before closing it.")
        locked.status = Complaint.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _entry(locked, Kind.CLOSED, actor, published=True)
        _record_change(actor, locked, request, reason="closed")
    return True


# --- Residents: escalating --------------------------------------------------------------------


def may_escalate(complaint: Complaint, stage: ComplaintStage) -> bool:
    """Once we have responded at stage 1, the household may ask for stage 2, with no reason."""
    return complaint.stage == 1 and stage.responded_on is not None


def complaint_escalate(
    *, actor: Actor, complaint: Complaint, comment: str = "", request: HttpRequest | None = None
) -> bool:
    """Take the complaint to stage 2 (no reason needed); its clocks start today. False if it is
    already at stage 2 (a double submit)."""
    if not actor.is_resident or not may_change(actor, complaint):
        raise PermissionDenied
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.stage == 2:
            return False
        if not may_escalate(locked, current_stage(locked)):
            raise NotNow("You can ask for stage 2 once we have responded to your complaint.")
        stage_start(locked, 2, timezone.localdate())
        _entry(locked, Kind.ESCALATED, actor, published=True, text=comment)
        _record_change(actor, locked, request, reason="taken to stage 2")
    return True


# --- Reads ------------------------------------------------------------------------------------


def complaints_seen(
    actor: Actor, complaints: Sequence[Complaint], action: str, request: HttpRequest | None = None
) -> None:
    """One audit row per person each complaint is about (its household now). An empty list is a
    resident's look at their own (empty) list."""
    subjects = household_ids(list(complaints))
    seen = [Seen(c.uuid, subjects[c.pk] or [None], c.tenancy_id) for c in complaints]
    if not seen and actor.is_resident:
        seen = [Seen("", [actor.person_id])]
    if seen:
        record_many(actor=actor, action=action, object_type=COMPLAINT, seen=seen, request=request)


# --- Helpers ----------------------------------------------------------------------------------


def _lock_for_handling(actor: Actor, complaint: Complaint) -> tuple[Complaint, ComplaintStage]:
    """The complaint, locked, and its current stage, for a handler's change: refused to anyone
    who may not work it, and at stage 2 to anyone who handled stage 1."""
    if actor.is_resident or not may_change(actor, complaint):
        raise PermissionDenied
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.stage == 2 and handled_stage_1(actor, locked):
        raise SameHandler("You handled stage 1 of this complaint, so someone else must handle stage 2.")
    return locked, current_stage(locked)


def handled_stage_1(actor: Actor, complaint: Complaint) -> bool:
    if actor.user_id is not None and actor.user_id == complaint.stage1_handler_id:
        return True
    return ComplaintEntry.objects.filter(complaint=complaint, stage=1, by_id=actor.user_id, kind__in=HANDLING).exists()


def _handled_by(actor: Actor, complaint: Complaint, stage: ComplaintStage, *, considered: bool = False) -> None:
    """Record who handles the stage: the first to act on it, and at stage 1 whoever responds
    (the person who considered it). The database refuses the same person at both stages."""
    field = "stage1_handler_id" if stage.number == 1 else "stage2_handler_id"
    if getattr(complaint, field) is None or (considered and stage.number == 1):
        setattr(complaint, field, actor.user_id)
        complaint.save(update_fields=[field.removesuffix("_id")])


def _entry(complaint: Complaint, kind: str, actor: Actor, *, published: bool, text: str = "") -> ComplaintEntry:
    if published:
        notifications.tell_household(complaint, kind)
    return ComplaintEntry.objects.create(
        complaint=complaint,
        tenancy_id=complaint.tenancy_id,
        stage=complaint.stage,
        kind=kind,
        text=text,
        published=published,
        by_id=actor.on_behalf_of_id or actor.user_id,
    )


def _record_change(
    actor: Actor, complaint: Complaint, request: HttpRequest | None, *, reason: str = "", action: str = "update"
) -> None:
    record(
        actor=actor,
        action=action,
        object_type=COMPLAINT,
        object_id=complaint.uuid,
        subject_ids=household_ids([complaint])[complaint.pk] or [None],
        tenancy_id=complaint.tenancy_id,
        reason=reason,
        request=request,
    )


def _day(day: datetime.date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""
