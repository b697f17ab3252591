"""A contractor's work on a job: accepting it, proposing a visit, progress notes with photos,
and marking it complete. Every change is audited at once (services.record_change) and a
double submit makes one record: a note's event takes the form's key as its uuid, a proposed
visit the same time twice is one proposal, accepting twice is one acceptance."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.uploads import CheckedFile
from porch.repairs import access, notifications, services
from porch.repairs.models import Repair, RepairEvent, RepairPhoto

# Statuses a job may still move forward from when the contractor acts on it.
NOT_YET_ASSIGNED = (Repair.Status.REPORTED, Repair.Status.TRIAGED)
NOT_YET_STARTED = (*NOT_YET_ASSIGNED, Repair.Status.ASSIGNED, Repair.Status.BOOKED)


def visit_words(when: datetime.datetime) -> str:
    """A visit's time as residents and contractors read it: "Tuesday 3 March 2026 at 10:30am"."""
    local = timezone.localtime(when)
    hour = local.strftime("%-I:%M%p").replace(":00", "").lower()
    return f"{local:%A %-d %B %Y} at {hour}"


def _locked(repair: Repair) -> Repair:
    return Repair.objects.select_for_update().get(pk=repair.pk)


def accept(*, actor: Actor, repair: Repair, request: HttpRequest | None = None) -> bool:
    """The firm takes the job on. Once per assignment: a second click (or a colleague's) changes
    nothing and returns False."""
    with transaction.atomic():
        locked = _locked(repair)
        accepted = locked.events.filter(kind=RepairEvent.Kind.ACCEPTED, by__firm_id=actor.firm_id)
        since = access.held_since(locked)
        if since is not None:
            accepted = accepted.filter(at__gte=since)
        if accepted.exists():
            return False
        RepairEvent.objects.create(
            repair=locked, kind=RepairEvent.Kind.ACCEPTED, for_contractor=True, by_id=actor.user_id
        )
        if locked.status in NOT_YET_ASSIGNED:
            locked.status = Repair.Status.ASSIGNED
            locked.save(update_fields=["status"])
        services.record_change(actor, locked, request, reason="accepted")
    repair.refresh_from_db()
    return True


def latest_proposal(repair: Repair) -> RepairEvent | None:
    """The visit the contractor last proposed (booked or changed), if any."""
    return (
        repair.events.filter(kind__in=[RepairEvent.Kind.BOOKED, RepairEvent.Kind.APPOINTMENT_CHANGED], by__isnull=False)
        .filter(by__kind="contractor")
        .order_by("-at", "-id")
        .first()
    )


def propose_visit(*, actor: Actor, repair: Repair, when: datetime.datetime, request: HttpRequest | None = None) -> bool:
    """The contractor arranges a visit with the household and records the time. The resident
    is told (booked, or changed when a visit was already proposed). Proposing the time already
    proposed changes nothing and returns False."""
    text = f"Visit arranged for {visit_words(when)}"
    with transaction.atomic():
        locked = _locked(repair)
        before = latest_proposal(locked)
        if before is not None and before.text == text:
            return False
        kind = RepairEvent.Kind.APPOINTMENT_CHANGED if before else RepairEvent.Kind.BOOKED
        RepairEvent.objects.create(
            repair=locked, kind=kind, text=text, published=True, for_contractor=True, by_id=actor.user_id
        )
        if locked.status in NOT_YET_STARTED:
            locked.status = Repair.Status.BOOKED
            locked.save(update_fields=["status"])
        services.record_change(actor, locked, request, reason="visit arranged")
        notifications.tell_reporter(locked, "changed" if before else "booked")
    repair.refresh_from_db()
    return True


def add_note(
    *,
    actor: Actor,
    repair: Repair,
    text: str,
    photos: Sequence[CheckedFile],
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> RepairEvent:
    """A progress note, with up to five photos, seen by the repairs team (who may publish it to
    the resident). The first note puts the job in progress. A double submit gives back the
    note the first one made."""
    found = _already_made(repair, key)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            locked = _locked(repair)
            event = RepairEvent.objects.create(
                uuid=key,
                repair=locked,
                kind=RepairEvent.Kind.UPDATE,
                text=text,
                for_contractor=True,
                by_id=actor.user_id,
            )
            _store_photos(actor, locked, event, photos)
            if locked.status in NOT_YET_STARTED:
                locked.status = Repair.Status.IN_PROGRESS
                locked.save(update_fields=["status"])
            services.record_change(actor, locked, request, reason="progress note")
            return event
    except IntegrityError:
        return _twin(repair, key)


def complete_job(
    *,
    actor: Actor,
    repair: Repair,
    note: str,
    photos: Sequence[CheckedFile],
    key: uuid.UUID,
    request: HttpRequest | None = None,
) -> RepairEvent:
    """The work is done (services.complete meets the clocks and closes the repair, and tells the
    resident it is completed). The contractor's own words and photos are a note for the repairs
    team, as their progress notes are: on a shared area's repair every neighbour reads what is
    published, and a contractor writes about the household that let them in. The note takes
    the form's key, so a second submit finds it."""
    found = _already_made(repair, key)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            locked = _locked(repair)
            if not locked.is_open:
                raise AlreadyClosed
            services.complete(actor=actor, repair=locked, request=request)
            event = RepairEvent.objects.create(
                uuid=key,
                repair=locked,
                kind=RepairEvent.Kind.UPDATE,
                text=note,
                for_contractor=True,
                by_id=actor.user_id,
            )
            _store_photos(actor, locked, event, photos)
            notifications.tell_reporter(locked, "completed")
    except IntegrityError:
        return _twin(repair, key)
    repair.refresh_from_db()
    return event


class AlreadyClosed(Exception):
    """Completed or cancelled by someone else first."""


def _already_made(repair: Repair, key: uuid.UUID) -> RepairEvent | None:
    return repair.events.filter(uuid=key).first()


def _twin(repair: Repair, key: uuid.UUID) -> RepairEvent:
    twin = _already_made(repair, key)
    if twin is None:
        # Another repair's key (a replayed or forged form): 400, never their record.
        raise SuspiciousOperation("A form key that is not this job's.")
    return twin


def _store_photos(actor: Actor, repair: Repair, event: RepairEvent, photos: Sequence[CheckedFile]) -> None:
    for photo in photos:
        RepairPhoto.objects.create(
            repair=repair,
            event=event,
            file=photo.content,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by_id=actor.user_id,
        )
