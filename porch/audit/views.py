from __future__ import annotations

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
    entries = [(event.at, describe(event)) for event in page.object_list]
    return render(request, "audit/privacy.html", {"page": page, "entries": entries})
