"""A team's inbox: the threads of the households the member of staff may see, newest message
first, paged by position (porch.core.paging) on the team's partial index, so a page costs the
same few queries however many threads there are."""

from __future__ import annotations

import dataclasses

from django.http import QueryDict

from porch.core.actor import Actor
from porch.core.paging import Page, page_of
from porch.messages import access


def inbox_page(actor: Actor, team: str, query: QueryDict, size: int) -> Page:
    threads = access.threads_for_staff(actor).filter(team=team).order_by("-last_at", "-id")
    page = page_of(threads, query, size=size, by="last_at")
    return dataclasses.replace(page, items=list(page.items))
