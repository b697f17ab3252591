"""What the repairs team's pages read: the queue with its filters, the clocks dashboard's
counts, a block's shared-area repairs, and everything about one repair. Each starts from
access.repairs_for_staff, so the same rule (patches, training, no test households) bounds
every list, and each costs the same few queries however many rows a page shows."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, QueryDict
from django.utils import timezone

from porch.core.actor import Actor
from porch.core.paging import Page, page_of
from porch.core.roles import PATCH_SCOPED
from porch.housing.models import Block
from porch.housing.synthetic import TEST_PATCH
from porch.repairs import access, clocks, services
from porch.repairs.categories import CATEGORIES, EMERGENCY_CATEGORIES
from porch.repairs.models import STAFF_READERS, Repair, RepairClock, RepairQuerySet
from porch.repairs.staff_forms import (
    AWAAB,
    BREACHED,
    CLOSED,
    DUE_SOON,
    DUE_TODAY,
    OPEN,
    PRIORITY_CLOCK,
    RIGHT_TO_REPAIR,
)

# The clocks each kind of law runs.
LAWS = {
    AWAAB: (clocks.Kind.AWAAB_INVESTIGATE, clocks.Kind.AWAAB_SUMMARY, clocks.Kind.AWAAB_EMERGENCY),
    RIGHT_TO_REPAIR: (clocks.Kind.RIGHT_TO_REPAIR,),
    PRIORITY_CLOCK: (clocks.Kind.ATTEND, clocks.Kind.COMPLETE),
}
LAW_WORDS = {AWAAB: "Awaab's Law", RIGHT_TO_REPAIR: "Right to Repair", PRIORITY_CLOCK: "Our priorities"}
BUCKET_WORDS = {DUE_TODAY: "Due today", DUE_SOON: "Due within 2 days", BREACHED: "Breached"}


def open_clocks() -> QuerySet[RepairClock]:
    return RepairClock.objects.filter(met_at__isnull=True)


def bucket(name: str, now: datetime.datetime) -> Q:
    """Open clocks falling due today (not yet breached), within two days, or already past."""
    if name == DUE_TODAY:
        return Q(due_at__gte=now, due_at__lte=clocks.end_of(timezone.localdate(now)))
    if name == DUE_SOON:
        return Q(due_at__gte=now, due_at__lt=services.due_soon(now))
    return Q(due_at__lt=now)


def next_due() -> Subquery:
    """The repair's next open clock: one subquery in the page's own query, not one per row."""
    return Subquery(open_clocks().filter(repair=OuterRef("pk")).order_by("due_at").values("due_at")[:1])


def in_block(block: Block) -> Q:
    """A block's shared areas and every home in it."""
    return Q(block=block) | Q(tenancy__property__block=block)


def queue_page(actor: Actor, filters: dict[str, Any], now: datetime.datetime, query: QueryDict, size: int) -> Page:
    """The page of the queue the query string asks for, paged by position: a count of every
    open repair would grow with the table. Breached repairs come the longest overdue first,
    the rest the latest reported first."""
    if filters.get("clock") == BREACHED:
        return _overdue_first_page(actor, filters, now, query, size)
    return page_of(queue(actor, filters, now), query, size=size, by="reported_at")


def queue(actor: Actor, filters: dict[str, Any], now: datetime.datetime) -> RepairQuerySet:
    """The repairs the filters choose, newest first (the index on status and reported_at
    serves it), each with its next due date."""
    found = _chosen(actor, filters)
    if filters.get("clock") or filters.get("law"):
        clock = open_clocks().filter(repair=OuterRef("pk"))
        if filters.get("clock"):
            clock = clock.filter(bucket(filters["clock"], now))
        if filters.get("law"):
            clock = clock.filter(kind__in=LAWS[filters["law"]])
        found = found.filter(Exists(clock))
    return found.annotate(next_due_at=next_due()).order_by("-reported_at", "-id")


def overdue_clocks(actor: Actor, filters: dict[str, Any], now: datetime.datetime) -> QuerySet[RepairClock]:
    """For each breached repair the filters choose, its earliest open clock (of the chosen
    law's kinds), the longest overdue first. A repair with any such clock past due has its
    earliest one past due, so each breached repair comes once. The database walks the open
    clocks' index by due date and stops when the page is full, however many are open."""
    candidates = open_clocks()
    if filters.get("law"):
        candidates = candidates.filter(kind__in=LAWS[filters["law"]])
    earlier = candidates.filter(repair=OuterRef("repair")).filter(
        Q(due_at__lt=OuterRef("due_at")) | Q(due_at=OuterRef("due_at"), id__lt=OuterRef("id"))
    )
    return (
        candidates.filter(due_at__lt=now, repair__in=_chosen(actor, filters).values("pk"))
        .exclude(Exists(earlier))
        .order_by("due_at", "id")
    )


def _overdue_first_page(
    actor: Actor, filters: dict[str, Any], now: datetime.datetime, query: QueryDict, size: int
) -> Page:
    """A page of overdue clocks (the positions in the links are theirs), shown as their repairs."""
    page = page_of(overdue_clocks(actor, filters, now), query, size=size, by="due_at", ascending=True)
    repairs = _chosen(actor, filters).annotate(next_due_at=next_due()).in_bulk([c.repair_id for c in page.items])
    return dataclasses.replace(page, items=[repairs[clock.repair_id] for clock in page.items])


def _chosen(actor: Actor, filters: dict[str, Any]) -> RepairQuerySet:
    """The repairs the actor may see that the status, priority, area and block filters choose."""
    found = access.repairs_for_staff(actor)
    status = filters.get("status") or OPEN
    if status == OPEN:
        found = found.open()
    elif status == CLOSED:
        found = found.filter(closed_at__isnull=False)
    if filters.get("priority"):
        found = found.filter(priority=filters["priority"])
    if filters.get("area"):
        codes = [c.code for c in (*CATEGORIES, *EMERGENCY_CATEGORIES) if c.area == filters["area"]]
        found = found.filter(category__in=codes)
    if filters.get("block"):
        block = Block.objects.filter(uuid=filters["block"]).first()
        found = found.filter(in_block(block)) if block else found.none()
    return found


def clock_counts(actor: Actor, now: datetime.datetime) -> dict[str, dict[str, int]]:
    """For each kind of clock and each of due today, due soon and breached: how many open
    repairs the actor may see have such a clock. One query; a repair counts once in each."""
    visible = access.repairs_for_staff(actor).open().values("pk")
    counting: dict[str, Count] = {}
    for law, kinds in LAWS.items():
        for name in (DUE_TODAY, DUE_SOON, BREACHED):
            counting[f"{law}__{name}"] = Count("repair", distinct=True, filter=Q(kind__in=kinds) & bucket(name, now))
    totals = open_clocks().filter(repair__in=visible).aggregate(**counting)
    return {law: {name: totals[f"{law}__{name}"] for name in (DUE_TODAY, DUE_SOON, BREACHED)} for law in LAWS}


def block_for_staff(actor: Actor, code: UUID) -> Block:
    """A block the actor looks after: anywhere for the organisation-wide readers, in their
    patches for housing officers; never the test households' (404 otherwise)."""
    found = Block.objects.select_related("estate__patch").exclude(estate__patch__name=TEST_PATCH).filter(uuid=code)
    if not actor.reads_personal_data:
        raise Http404
    if not actor.roles & STAFF_READERS:
        if not actor.roles & PATCH_SCOPED:
            raise Http404
        found = found.filter(estate__patch_id__in=actor.patch_ids)
    block = found.first()
    if block is None:
        raise Http404
    return block


def block_repairs(actor: Actor, block: Block) -> RepairQuerySet:
    """The shared-area repairs of the block and of its estate, open ones first."""
    return (
        access.repairs_for_staff(actor)
        .filter(Q(block=block) | Q(estate_id=block.estate_id))
        .annotate(next_due_at=next_due())
        .order_by("closed_at", "-reported_at", "-id")
    )


def repair_record(repair: Repair) -> dict[str, Any]:
    """Everything about one repair a coordinator reads on its page."""
    return {
        "clocks": list(repair.clocks.all()),
        "events": list(repair.events.select_related("by").prefetch_related("photos")),
        "photos": list(repair.photos.filter(event__isnull=True)),
        "appointments": list(repair.appointments.select_related("slot", "booked_by")),
        "assignments": list(repair.assignments.select_related("firm", "by")),
        "reporter": repair.reported_by,
    }
