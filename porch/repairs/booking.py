"""Appointments a resident books for a bookable repair to their home: the free slots in the
home's patch, booking one, changing it and cancelling it until the cut-off.

Two residents may choose the last slot at once. Neither is refused for being second to look:
the database's `one_visit_a_slot` constraint decides who books it, and the other is told the
slot has gone (SlotTaken) and keeps their repair, to choose another time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.core.actor import Actor
from porch.repairs import notifications, services
from porch.repairs.models import Appointment, Repair, RepairEvent, Slot

# How many free slots a resident is offered at once: enough to find one, few enough to read.
OFFERED = 12


class SlotTaken(Exception):
    """Someone else booked the slot first."""


class TooLate(Exception):
    """The appointment is too close (REPAIRS_APPOINTMENT_CUTOFF_HOURS) to change or cancel online."""


class NotBookable(Exception):
    """The repair is closed, for a shared area, or of a kind the repairs team arranges."""


def cutoff() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REPAIRS_APPOINTMENT_CUTOFF_HOURS)


def free_slots(patch_id: int, now: datetime.datetime | None = None) -> list[Slot]:
    """The next free slots in a patch that start after the cut-off (so they can still be changed)."""
    starts_after = (now or timezone.now()) + cutoff()
    return list(
        Slot.objects.filter(patch_id=patch_id, starts_at__gt=starts_after)
        .exclude(pk__in=Appointment.objects.filter(cancelled_at__isnull=True).values("slot_id"))
        .order_by("starts_at", "id")[:OFFERED]
    )


def patch_of(repair: Repair) -> int | None:
    if repair.tenancy_id is None:
        return None
    patch_id: int | None = (
        Repair.objects.filter(pk=repair.pk).values_list("tenancy__property__block__estate__patch_id", flat=True).first()
    )
    return patch_id


def is_bookable(repair: Repair) -> bool:
    return repair.is_open and not repair.is_communal and repair.kind.bookable


def live_appointment(repair: Repair) -> Appointment | None:
    return repair.appointments.filter(cancelled_at__isnull=True).select_related("slot").first()


def before_cutoff(appointment: Appointment, now: datetime.datetime | None = None) -> bool:
    """Whether the resident may still change or cancel it online."""
    return appointment.slot.starts_at - (now or timezone.now()) > cutoff()


def book(*, actor: Actor, repair: Repair, slot: Slot, request: HttpRequest | None = None) -> Appointment:
    """Book a slot for a repair that has no appointment. Booking the same slot again (a double
    submit) gives back the appointment already made."""
    current = live_appointment(repair)
    if current is not None and current.slot_id == slot.pk:
        return current
    if not is_bookable(repair) or current is not None or slot.patch_id != patch_of(repair):
        raise NotBookable
    with transaction.atomic():
        appointment = _take(actor, repair, slot)
        _booked(actor, repair, RepairEvent.Kind.BOOKED, f"Appointment: {slot}", request)
    notifications.tell_reporter(repair, "booked")
    return appointment


def change(*, actor: Actor, repair: Repair, slot: Slot, request: HttpRequest | None = None) -> Appointment:
    """Move a repair's appointment to another slot (or book one if it has none). The old slot is
    given up only if the new one is taken: a lost race leaves the resident's booking as it was."""
    current = live_appointment(repair)
    if current is None:
        return book(actor=actor, repair=repair, slot=slot, request=request)
    if current.slot_id == slot.pk:
        return current
    if not is_bookable(repair) or slot.patch_id != patch_of(repair):
        raise NotBookable
    if not before_cutoff(current):
        raise TooLate
    with transaction.atomic():
        Appointment.objects.filter(pk=current.pk).update(cancelled_at=timezone.now())
        appointment = _take(actor, repair, slot)
        _booked(actor, repair, RepairEvent.Kind.APPOINTMENT_CHANGED, f"New appointment: {slot}", request)
    notifications.tell_reporter(repair, "changed")
    return appointment


def cancel_appointment(*, actor: Actor, repair: Repair, request: HttpRequest | None = None) -> bool:
    """Cancel the live appointment; False if there was none (already cancelled: a double submit)."""
    current = live_appointment(repair)
    if current is None:
        return False
    if not before_cutoff(current):
        raise TooLate
    with transaction.atomic():
        cancelled = Appointment.objects.filter(pk=current.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now()
        )
        if not cancelled:
            return False
        Repair.objects.filter(pk=repair.pk, status=Repair.Status.BOOKED).update(status=status_without_a_visit(repair))
        RepairEvent.objects.create(
            repair=repair, kind=RepairEvent.Kind.APPOINTMENT_CANCELLED, published=True, by_id=actor.user_id
        )
        services.record_change(actor, repair, request, reason="appointment cancelled")
    notifications.tell_reporter(repair, "changed")
    return True


def status_without_a_visit(repair: Repair) -> str:
    """Where a repair stands once its visit is cancelled: with its contractor if a firm holds
    it, checked if the repairs team has triaged it, otherwise just reported."""
    if repair.firm_id:
        return Repair.Status.ASSIGNED
    if repair.events.filter(kind=RepairEvent.Kind.TRIAGED).exists():
        return Repair.Status.TRIAGED
    return Repair.Status.REPORTED


def _take(actor: Actor, repair: Repair, slot: Slot) -> Appointment:
    """The one place a slot is taken: the unique constraint refuses a second live booking, and
    a slot no longer offered (started, or inside the cut-off, since the resident chose it on a
    page left open) counts as taken."""
    if slot.starts_at <= timezone.now() + cutoff():
        raise SlotTaken
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                repair=repair, slot=slot, booked_by_id=actor.on_behalf_of_id or actor.user_id
            )
    except IntegrityError as clash:
        raise SlotTaken from clash


def _booked(actor: Actor, repair: Repair, kind: str, text: str, request: HttpRequest | None) -> None:
    if repair.status in (Repair.Status.REPORTED, Repair.Status.TRIAGED, Repair.Status.ASSIGNED):
        Repair.objects.filter(pk=repair.pk).update(status=Repair.Status.BOOKED)
        repair.status = Repair.Status.BOOKED
    RepairEvent.objects.create(repair=repair, kind=kind, text=text, published=True, by_id=actor.user_id)
    services.record_change(actor, repair, request, reason=kind)
