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
    page = page_of(queue(actor, clock, today), query, size=size, by="due_on", ascending=True)
    return dataclasses.replace(page, items=list(page.items))
