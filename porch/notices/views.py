"""The resident's notices: a page of their own, and a panel on their home page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.notices import access
from porch.notices.services import notices_shown

PAGE_SIZE = 25
# How many notices the home page shows; the rest are on "Notices for your building".
HOME_PANEL_SIZE = 3


@audience(RESIDENT)
@module("notices")
def notice_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.notices_for_resident(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    notices = list(page.object_list)
    notices_shown(actor=actor, notices=notices, request=request)
    return render(request, "notices/list.html", {"page": page, "notices": notices})


def home_panel(request: PorchRequest) -> Mapping[str, Any] | None:
    """The newest current notices for the resident's homes, or None when there are none.
    The home page asks only while the module is on for the resident."""
    actor = request.actor
    notices = list(access.notices_for_resident(actor)[: HOME_PANEL_SIZE + 1])
    if not notices:
        return None
    shown = notices[:HOME_PANEL_SIZE]
    notices_shown(actor=actor, notices=shown, request=request)
    return {"notices": shown, "more": len(notices) > HOME_PANEL_SIZE}
