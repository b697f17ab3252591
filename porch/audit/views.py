from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from porch.audit import access
from porch.audit.describe import describe
from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest


@audience(RESIDENT)
@module("portal")
def privacy(request: PorchRequest) -> HttpResponse:
    """Who has looked at my record, in plain English."""
    actor = request.actor
    page = Paginator(access.views_of_own_record(actor), 30).get_page(request.GET.get("page"))
    entries = grouped([(event.at, describe(event)) for event in page.object_list])
    return render(request, "audit/privacy.html", {"page": page, "entries": entries})


# Looks of the same kind this close together read as one visit, not a line each.
SAME_VISIT = datetime.timedelta(minutes=10)


@dataclass
class _Run:
    latest: datetime.datetime
    text: str
    count: int
    earliest: datetime.datetime


def grouped(entries: list[tuple[datetime.datetime, str]]) -> list[tuple[datetime.datetime, str]]:
    """Newest first, with the looks of one kind within SAME_VISIT of each other shown once
    ("..., 4 times"), at the time of the latest."""
    runs: list[_Run] = []
    open_runs: dict[str, _Run] = {}
    for at, text in entries:
        run = open_runs.get(text)
        if run is not None and run.earliest - at <= SAME_VISIT:
            run.count, run.earliest = run.count + 1, at
            continue
        open_runs[text] = _Run(at, text, 1, at)
        runs.append(open_runs[text])
    return [(run.latest, run.text if run.count == 1 else f"{run.text} ({run.count} times)") for run in runs]
