"""The repairs team's changes to a repair: triage, assigning a firm, updates and notes, the
damp-and-mould steps of Awaab's Law, and closing it.

Each change locks the repair, writes its timeline entry and its audit row in one
transaction, and tells the reporter (after commit) where they asked to hear. A reason
given for a change stays internal (an internal note and the audit row); what the resident
reads is written for them. A double submit changes nothing twice: a state change finds
the state already changed, and a note carries its form's key as its uuid."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import ContractorFirm
from porch.core.actor import Actor
from porch.repairs import clocks, notifications, services
from porch.repairs.categories import PRIORITY_WORDS, Category, Priority
from porch.repairs.models import Assignment, Repair, RepairClock, RepairEvent


class NotApplicable(Exception):
    """The step does not apply to this repair (closed, not damp and mould, not in England)."""


@dataclass(frozen=True)
class Note:
    """A timeline entry a member of staff writes: who reads it decides its kind."""

    text: str
    key: uuid.UUID


def _locked(repair: Repair) -> Repair:
    locked = Repair.objects.select_for_update().get(pk=repair.pk)
    if not locked.is_open:
        raise NotApplicable("This repair is closed.")
    return locked


def _internal(locked: Repair, actor: Actor, text: str) -> None:
    """The reason for a change, for the repairs team only."""
    RepairEvent.objects.create(repair=locked, kind=RepairEvent.Kind.NOTE, text=text, by_id=actor.user_id)


def triage(
    *, actor: Actor, repair: Repair, category: Category, priority: Priority, reason: str, request: HttpRequest
) -> bool:
    """Set the category and priority (the priority's clock moves; the statutory ones never
    do). False if nothing changed (a double submit)."""
    with transaction.atomic():
        locked = _locked(repair)
        first = locked.status == Repair.Status.REPORTED
        if locked.category == category.code and locked.priority == priority.value and not first:
            return False
        priority_moved = locked.priority != priority.value
        locked.category, locked.priority = category.code, priority.value
        if first:
            locked.status = Repair.Status.TRIAGED
        locked.save(update_fields=["category", "priority", "status"])
        if priority_moved:
            services.reset_priority_clock(locked)
        RepairEvent.objects.create(
            repair=locked,
            kind=RepairEvent.Kind.TRIAGED,
            text=f"{category.label}. Priority: {PRIORITY_WORDS[priority]}.",
            published=True,
            by_id=actor.user_id,
        )
        _internal(locked, actor, f"Triage: {reason}")
        services.record_change(actor, locked, request, reason=f"triage: {reason}")
        notifications.tell_reporter(locked, "triaged")
    repair.refresh_from_db()
    return True


def assign(*, actor: Actor, repair: Repair, firm: ContractorFirm, reason: str, request: HttpRequest) -> bool:
    """Give the job to a firm. The firm holding it before loses it at once (access reads the
    repair's firm); the history keeps when each held it. False if it already had it."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(repair)
        if locked.firm_id == firm.pk:
            return False
        Assignment.objects.filter(repair=locked, ended_at__isnull=True).update(ended_at=now)
        Assignment.objects.create(repair=locked, firm=firm, started_at=now, by_id=actor.user_id)
        locked.firm = firm
        if locked.status in (Repair.Status.REPORTED, Repair.Status.TRIAGED):
            locked.status = Repair.Status.ASSIGNED
        locked.save(update_fields=["firm", "status"])
        RepairEvent.objects.create(
            repair=locked,
            kind=RepairEvent.Kind.ASSIGNED,
            at=now,
            published=True,
            for_contractor=True,
            by_id=actor.user_id,
        )
        _internal(locked, actor, f"Assigned to {firm.name}: {reason}")
        services.record_change(actor, locked, request, reason=f"assigned to {firm.name}: {reason}")
    repair.refresh_from_db()
    return True


def add_note(
    *,
    actor: Actor,
    repair: Repair,
    note: Note,
    published: bool = False,
    for_contractor: bool = False,
    request: HttpRequest,
) -> RepairEvent:
    """An update the resident reads (published), a note for the firm (for_contractor), or an
    internal note. The form's key is the entry's uuid: a double submit finds the first."""
    kind = RepairEvent.Kind.UPDATE if published else RepairEvent.Kind.NOTE
    existing = RepairEvent.objects.filter(repair=repair, uuid=note.key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locked = _locked(repair)
            event = RepairEvent.objects.create(
                uuid=note.key,
                repair=locked,
                kind=kind,
                text=note.text,
                published=published,
                for_contractor=for_contractor,
                by_id=actor.user_id,
            )
            what = "update published" if published else "note for the contractor" if for_contractor else "note"
            services.record_change(actor, locked, request, reason=what)
            if published:
                notifications.tell_reporter(locked, "updated")
            return event
    except IntegrityError:
        twin = RepairEvent.objects.filter(repair=repair, uuid=note.key).first()
        if twin is None:
            raise SuspiciousOperation("A note's key used on another repair.") from None
        return twin


def _awaab(locked: Repair) -> None:
    if not (locked.kind.damp and locked.nation == clocks.ENGLAND):
        raise NotApplicable("Awaab's Law applies to damp and mould in England only.")


def investigated(*, actor: Actor, repair: Repair, findings: str, request: HttpRequest) -> bool:
    """The damp and mould has been looked into: the investigation clock is met, and the
    written summary's clock (3 working days) starts. False if already recorded."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(repair)
        _awaab(locked)
        if locked.investigated_at is not None:
            return False
        locked.investigated_at = now
        locked.save(update_fields=["investigated_at"])
        locked.clocks.filter(kind=clocks.Kind.AWAAB_INVESTIGATE, met_at__isnull=True).update(met_at=now)
        summary = clocks.awaab_summary_deadline(now, locked.nation)
        if summary is not None:
            RepairClock.objects.get_or_create(repair=locked, kind=summary.kind, defaults={"due_at": summary.due_at})
        RepairEvent.objects.create(
            repair=locked, kind=RepairEvent.Kind.INVESTIGATED, at=now, published=True, by_id=actor.user_id
        )
        _internal(locked, actor, f"Investigation findings: {findings}")
        services.record_change(actor, locked, request, reason="damp and mould investigated")
    repair.refresh_from_db()
    return True


def flag_hazard(*, actor: Actor, repair: Repair, reason: str, request: HttpRequest) -> bool:
    """An emergency hazard from damp and mould: it must be made safe within 24 hours of the
    report (clocks.awaab_emergency_deadline), so a flag raised late starts a clock already
    late, which is what the dashboard must show. False if already flagged."""
    with transaction.atomic():
        locked = _locked(repair)
        _awaab(locked)
        if locked.emergency_hazard:
            return False
        locked.emergency_hazard = True
        locked.save(update_fields=["emergency_hazard"])
        deadline = clocks.awaab_emergency_deadline(locked.reported_at, locked.nation)
        if deadline is not None:
            RepairClock.objects.get_or_create(
                repair=locked, kind=deadline.kind, defaults={"due_at": deadline.due_at, "precise": deadline.precise}
            )
        _internal(locked, actor, f"Emergency hazard: {reason}")
        services.record_change(actor, locked, request, reason=f"emergency hazard: {reason}")
    repair.refresh_from_db()
    return True


def made_safe(*, actor: Actor, repair: Repair, request: HttpRequest) -> bool:
    """The emergency hazard has been made safe: its clock is met."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(repair)
        met = locked.clocks.filter(kind=clocks.Kind.AWAAB_EMERGENCY, met_at__isnull=True).update(met_at=now)
        if not met:
            return False
        _internal(locked, actor, "Emergency hazard made safe.")
        services.record_change(actor, locked, request, reason="emergency hazard made safe")
    return True


def summary_sent(*, actor: Actor, repair: Repair, request: HttpRequest) -> bool:
    """The written summary of the investigation has gone to the resident: its clock is met.
    Also after the repair is closed (completing a repair never meets this clock)."""
    now = timezone.now()
    with transaction.atomic():
        locked = Repair.objects.select_for_update().get(pk=repair.pk)
        met = locked.clocks.filter(kind=clocks.Kind.AWAAB_SUMMARY, met_at__isnull=True).update(met_at=now)
        if not met:
            return False
        RepairEvent.objects.create(
            repair=locked, kind=RepairEvent.Kind.SUMMARY_SENT, at=now, published=True, by_id=actor.user_id
        )
        services.record_change(actor, locked, request, reason="written summary sent")
    return True


def close(*, actor: Actor, repair: Repair, completed: bool, message: str, request: HttpRequest) -> bool:
    """Complete or cancel the repair (the message is what the resident reads). False if it
    was already closed."""
    with transaction.atomic():
        # Locked first, so of two closes at once the second finds it closed and tells nobody.
        if not Repair.objects.select_for_update().get(pk=repair.pk).is_open:
            return False
        if completed:
            services.complete(actor=actor, repair=repair, note=message, request=request)
        else:
            services.cancel(actor=actor, repair=repair, reason=message, request=request)
        notifications.tell_reporter(repair, "completed" if completed else "cancelled")
    return True
