"""Writing repairs: reporting one, its clocks, completing and cancelling it, and what each
read and write leaves in the audit log. Triage and assignment (the repairs team), and a
contractor's work, build on these."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record, record_many
from porch.core import rls
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.modules import AuditKind
from porch.housing.models import Block, Estate, Membership, Property, Tenancy
from porch.outbox.services import About, emit
from porch.repairs import clocks
from porch.repairs.categories import Category, Priority
from porch.repairs.kinds import COMMUNAL_REPAIR, REPAIR
from porch.repairs.models import Assignment, Repair, RepairClock, RepairEvent

# A reference a resident can read out on the phone: no 0/O or 1/I to confuse.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Report:
    """What a resident (or staff on their behalf) told us, checked by the journey's forms."""

    category: Category
    description: str
    tenancy: Tenancy | None = None
    block: Block | None = None
    estate: Estate | None = None
    availability: str = ""
    access_notes: str = ""
    needs_extra_help: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    notify_by: str = Repair.NotifyBy.NONE


def new_reference() -> str:
    return "R" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def report_repair(*, actor: Actor, report: Report, key: uuid.UUID, request: HttpRequest | None = None) -> Repair:
    """Record a reported repair with its clocks and the first entry of its timeline. A double
    submit (the same key) gives back the repair the first one made."""
    # The reporter's own repairs: a resident's by their person, staff on the phone's by their account.
    if actor.person_id:
        mine = Repair.objects.filter(reported_by_id=actor.person_id)
    else:
        mine = Repair.objects.filter(reported_by_user_id=actor.on_behalf_of_id or actor.user_id)
    return create_once(mine, key, lambda: _create(actor, report, key, request))


def _create(actor: Actor, report: Report, key: uuid.UUID, request: HttpRequest | None) -> Repair:
    now = timezone.now()
    repair = Repair(
        category=report.category.code,
        priority=report.category.priority.value,
        description=report.description,
        tenancy=report.tenancy,
        block=report.block,
        estate=report.estate,
        reported_by_id=actor.person_id,
        reported_by_user_id=actor.on_behalf_of_id or actor.user_id,
        reported_at=now,
        availability=report.availability,
        access_notes=report.access_notes,
        needs_extra_help=report.needs_extra_help,
        contact_name=report.contact_name,
        contact_phone=report.contact_phone,
        notify_by=report.notify_by,
        nation=clocks.nation(),
        idempotency_key=key,
        is_test=_is_test(report),
    )
    _save_with_a_fresh_reference(repair)
    start_clocks(repair)
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.REPORTED, at=now, published=True)
    record_change(actor, repair, request, action="create")
    emit(
        "repair.reported",
        about=About(repair.reference, subjects_of([repair])[repair.pk], repair.is_test),
        payload=_reported(repair),
    )
    return repair


def repair_from_housing_system(
    *, actor: Actor, report: Report, external_ref: str, reported_at: datetime.datetime
) -> Repair:
    """A repair raised in the landlord's housing system, arriving through the feed: its clocks run
    from when it was raised there, and nobody here reported it (so nobody here is told of it)."""
    repair = Repair(
        category=report.category.code,
        priority=report.category.priority.value,
        description=report.description,
        tenancy=report.tenancy,
        block=report.block,
        external_ref=external_ref,
        reported_at=reported_at,
        nation=clocks.nation(),
        is_test=_is_test(report),
    )
    _save_with_a_fresh_reference(repair)
    start_clocks(repair)
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.REPORTED, at=reported_at, published=True)
    record_change(actor, repair, None, action="create", reason="raised in the housing system")
    return repair


def _reported(repair: Repair) -> dict[str, object]:
    """What the housing management system hears of a new repair (porch.outbox, docs/outbox.md):
    which repair, where (the tenancy, or the block or estate of a shared area, by the HMS's own
    references) and what is wrong. Never who can let a contractor in, when, or their phone:
    the repairs team passes those on."""
    return {
        "reference": repair.reference,
        "id": str(repair.uuid),
        "external_ref": repair.external_ref or None,
        "tenancy_ref": repair.tenancy.reference if repair.tenancy else None,
        "block": {"ref": repair.block.hms_reference, "name": repair.block.name} if repair.block else None,
        "estate": {"ref": repair.estate.hms_reference, "name": repair.estate.name} if repair.estate else None,
        "category": repair.category,
        "category_label": repair.kind.label,
        "priority": repair.priority,
        "description": repair.description,
        "reported_at": repair.reported_at,
    }


def _is_test(report: Report) -> bool:
    """A test household's repair, or one to a test block's or estate's shared areas (test
    households live in blocks of their own, porch.housing.synthetic)."""
    if report.tenancy is not None:
        return report.tenancy.is_test
    homes = Property.objects.filter(block=report.block) if report.block else Property.objects.none()
    if report.estate is not None:
        homes = Property.objects.filter(block__estate=report.estate)
    return homes.filter(is_test=True).exists()


def _save_with_a_fresh_reference(repair: Repair) -> None:
    for _ in range(5):
        repair.reference = new_reference()
        try:
            with transaction.atomic():
                repair.save()
            return
        except IntegrityError:
            if not Repair.objects.filter(reference=repair.reference).exists():
                raise  # another constraint refused it: not a clash of references
    raise IntegrityError("no free repair reference after five tries")


def start_clocks(repair: Repair) -> None:
    deadlines = clocks.deadlines_on_report(repair.kind, Priority(repair.priority), repair.reported_at, repair.nation)
    RepairClock.objects.bulk_create(
        [RepairClock(repair=repair, kind=d.kind, due_at=d.due_at, precise=d.precise) for d in deadlines]
    )


def reset_priority_clock(repair: Repair) -> None:
    """After triage changes the priority: the priority's clock, counted from the report, is
    replaced; the statutory clocks never move."""
    deadline = clocks.priority_deadline(Priority(repair.priority), repair.reported_at, repair.nation)
    repair.clocks.filter(kind__in=[clocks.Kind.ATTEND, clocks.Kind.COMPLETE], met_at__isnull=True).delete()
    RepairClock.objects.update_or_create(
        repair=repair, kind=deadline.kind, defaults={"due_at": deadline.due_at, "precise": deadline.precise}
    )


def complete(*, actor: Actor, repair: Repair, note: str = "", request: HttpRequest | None = None) -> None:
    """The work is done: every clock the repair runs against is met now (Awaab's written
    summary excepted: it is met when it is sent), and in Scotland a late qualifying repair's
    compensation is worked out."""
    now = timezone.now()
    with transaction.atomic():
        locked = Repair.objects.select_for_update().get(pk=repair.pk)
        if not locked.is_open:
            return
        locked.clocks.filter(met_at__isnull=True).exclude(kind=clocks.Kind.AWAAB_SUMMARY).update(met_at=now)
        rtr = locked.clocks.filter(kind=clocks.Kind.RIGHT_TO_REPAIR).first()
        if rtr is not None:
            locked.compensation_pence = clocks.right_to_repair_compensation_pence(rtr.due_at, now)
        locked.status = Repair.Status.COMPLETED
        locked.completed_at = locked.closed_at = now
        locked.save(update_fields=["status", "completed_at", "closed_at", "compensation_pence"])
        Assignment.objects.filter(repair=locked, ended_at__isnull=True).update(ended_at=now)
        RepairEvent.objects.create(
            repair=locked, kind=RepairEvent.Kind.COMPLETED, at=now, text=note, published=True, by_id=actor.user_id
        )
        record_change(actor, locked, request, reason="completed")
    repair.refresh_from_db()


def cancel(*, actor: Actor, repair: Repair, reason: str = "", request: HttpRequest | None = None) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = Repair.objects.select_for_update().get(pk=repair.pk)
        if not locked.is_open:
            return
        locked.clocks.filter(met_at__isnull=True).update(met_at=now)
        locked.appointments.filter(cancelled_at__isnull=True).update(cancelled_at=now)
        locked.status = Repair.Status.CANCELLED
        locked.cancelled_at = locked.closed_at = now
        locked.save(update_fields=["status", "cancelled_at", "closed_at"])
        Assignment.objects.filter(repair=locked, ended_at__isnull=True).update(ended_at=now)
        RepairEvent.objects.create(
            repair=locked, kind=RepairEvent.Kind.CANCELLED, at=now, text=reason, published=True, by_id=actor.user_id
        )
        record_change(actor, locked, request, reason="cancelled")
    repair.refresh_from_db()


def kind_of(repair: Repair) -> AuditKind:
    return COMMUNAL_REPAIR if repair.is_communal else REPAIR


def subjects_of(repairs: Iterable[Repair]) -> dict[int, list[int | None]]:
    """The people each repair is about, in one query: a home's current household; for a shared
    area, its reporter (staff and contractors see who reported it; residents of the place see
    neither, and their reads are recorded with no subject, see seen_by_resident)."""
    repairs = list(repairs)
    members: dict[int, list[int | None]] = defaultdict(list)
    tenancy_ids = {repair.tenancy_id for repair in repairs if repair.tenancy_id}
    # Who the data is about is the audit log's to know: behind the database wall a contractor
    # reads no household's memberships, so the system finds them.
    with rls.as_system(connection):
        households = Membership.objects.current().filter(tenancy_id__in=tenancy_ids)
        for tenancy_id, person_id in households.values_list("tenancy_id", "person_id"):
            members[tenancy_id].append(person_id)
    found: dict[int, list[int | None]] = {}
    for repair in repairs:
        if repair.tenancy_id:
            found[repair.pk] = members[repair.tenancy_id] or [None]
        else:
            found[repair.pk] = [repair.reported_by_id]
    return found


def record_reads(actor: Actor, action: str, repairs: Sequence[Repair], request: HttpRequest | None = None) -> None:
    """One audit row per person each repair is about (a home's), or per shared-area repair
    (no subject when a resident of the place reads it: they never see who reported it)."""
    subjects = subjects_of(repairs)
    for kind in (REPAIR, COMMUNAL_REPAIR):
        chosen = [repair for repair in repairs if kind_of(repair) is kind]
        if not chosen:
            continue
        seen = [
            Seen(
                repair.uuid,
                [None] if actor.is_resident and repair.is_communal else subjects[repair.pk],
                repair.tenancy_id,
            )
            for repair in chosen
        ]
        record_many(actor=actor, action=action, object_type=kind, seen=seen, request=request)


def record_change(
    actor: Actor, repair: Repair, request: HttpRequest | None, *, reason: str = "", action: str = "update"
) -> None:
    """One audit row per person the repair is about, for a write (made, or changed)."""
    record(
        actor=actor,
        action=action,
        object_type=kind_of(repair),
        object_id=repair.uuid,
        subject_ids=subjects_of([repair])[repair.pk],
        tenancy_id=repair.tenancy_id,
        reason=reason,
        request=request,
    )


def due_soon(now: datetime.datetime | None = None) -> datetime.datetime:
    """Clocks falling due before this are "due soon" on the queue: within two days."""
    return (now or timezone.now()) + datetime.timedelta(days=2)
