"""A team's inbox: the threads of the households the member of staff may see, newest message
first, paged by position (porch.core.paging) on the team's partial indexes, so a page costs the
same few queries however many threads there are. The team chooses which threads it shows:
those waiting for a reply (the default: the work to do), those taken by the viewer, those
nobody has taken, or all of them."""

from __future__ import annotations

import dataclasses

from django.db import models
from django.http import QueryDict

from porch.core.actor import Actor
from porch.core.paging import Page, page_of
from porch.messages import access
from porch.messages.models import ThreadQuerySet


class Show(models.TextChoices):
    WAITING = "waiting", "Waiting for a reply from us"
    MINE = "mine", "Taken by me"
    NOBODY = "nobody", "Not taken by anyone"
    ALL = "all", "All threads"


def inbox_page(actor: Actor, team: str, show: str, query: QueryDict, size: int) -> Page:
    threads = _shown(access.threads_for_staff(actor).filter(team=team), show, actor)
    page = page_of(threads.order_by("-last_at", "-id"), query, size=size, by="last_at")
    return dataclasses.replace(page, items=list(page.items))


def _shown(threads: ThreadQuerySet, show: str, actor: Actor) -> ThreadQuerySet:
    if show == Show.WAITING:
        return threads.filter(awaiting_staff=True)
    if show == Show.MINE:
        return threads.filter(assigned_to_id=actor.user_id)
    if show == Show.NOBODY:
        return threads.filter(assigned_to__isnull=True)
    return threads
