"""The complaints queue: open complaints by their next deadline, the most overdue first, paged by
position (porch.core.paging) on the partial index of due dates, so a page costs the same few
queries however many complaints there are."""

from __future__ import annotations

import dataclasses
import datetime

from django.http import QueryDict

from porch.complaints import access
from porch.complaints.forms import QueueFilterForm
from porch.complaints.models import ComplaintQuerySet
from porch.core.actor import Actor
from porch.core.paging import Page, page_of
from porch.core.working_days import add_working_days

DUE_SOON_WORKING_DAYS = 2


def queue(actor: Actor, clock: str, today: datetime.date) -> ComplaintQuerySet:
    found = access.complaints_for_staff(actor).filter(due_on__isnull=False)
    if clock == QueueFilterForm.OVERDUE:
        found = found.filter(due_on__lt=today)
    elif clock == QueueFilterForm.DUE_SOON:
        found = found.filter(due_on__gte=today, due_on__lte=add_working_days(today, DUE_SOON_WORKING_DAYS))
    return found.order_by("due_on", "id")


def queue_page(actor: Actor, clock: str, today: datetime.date, query: QueryDict, size: int) -> Page:
    """The page found on the complaints' own columns, then its complaints read with their homes
    and handlers, in the page's order. In one query, PostgreSQL takes a later page (or a clock)
    for a few rows, as the position and the due date each narrow the queue, and joins every
    open complaint after the position to its home before sorting them: 386 complaints at
    150,000 homes for a page of 50, growing with the queue (bench/README.md, issue 14)."""
    complaints = queue(actor, clock, today)
    page = page_of(complaints.select_related(None).only("id", "due_on"), query, size=size, by="due_on", ascending=True)
    found = complaints.in_bulk([complaint.pk for complaint in page.items])
    # A complaint answered between the two reads has left the queue: it is not shown.
    return dataclasses.replace(page, items=[found[item.pk] for item in page.items if item.pk in found])
