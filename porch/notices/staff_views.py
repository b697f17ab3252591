"""Back-office pages for notices: the list, posting one, reading one, withdrawing one.
Every look at a notice is audited (a notice may name someone by mistake)."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.notices import access, services
from porch.notices.forms import AreaForm, NoticeForm

# Every role that sees residents may read notices; customer services and housing officers post them.
NOTICE_READERS = staff(*sorted(access.READERS), personal_data=True)
NOTICE_POSTERS = staff(*sorted(access.POSTERS), personal_data=True)
PAGE_SIZE = 50


@audience(NOTICE_READERS)
def staff_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.notices_for_staff(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    notices = list(page.object_list)
    services.notices_shown(actor=actor, notices=notices, request=request)
    context = {"page": page, "notices": notices, "may_post": bool(access.patches_to_post_in(actor))}
    return render(request, "notices/staff/list.html", context)


@audience(NOTICE_POSTERS)
def staff_new(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    patches = access.patches_to_post_in(actor)
    patch = access.patch_to_post_in(actor, request.GET.get("area"))
    if patch is None:
        area_form = AreaForm(request.GET if "area" in request.GET else None, patches=patches)
        area_form.is_valid()  # a chosen area the actor may not post in is not offered: an error, never a page
        return render(request, "notices/staff/area.html", {"form": area_form, "patches": patches})
    form = NoticeForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4()},
        places=access.places_to_post_in(actor, patch),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notice = services.notice_post(
            actor=actor,
            place=data["place"],
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            idempotency_key=data["idempotency_key"],
            request=request,
        )
        messages.success(request, f"Notice posted. Residents see it from {date_format(notice.starts_on, 'j F Y')}.")
        return redirect("notices:staff_detail", code=notice.uuid)
    several = len(patches) > 1
    context = {"form": form, "patch": patch, "change_area": reverse("notices:staff_new") if several else None}
    return render(request, "notices/staff/new.html", context)


@audience(NOTICE_READERS)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    notice = access.get_notice_for(actor, code)
    services.notices_shown(actor=actor, notices=[notice], action="view", request=request)
    may_withdraw = access.may_post_to(actor, notice.place) and notice.status() in ("Showing", "Not started")
    return render(request, "notices/staff/detail.html", {"notice": notice, "may_withdraw": may_withdraw})


@audience(NOTICE_POSTERS)
@require_POST
def staff_withdraw(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    notice = access.get_notice_for(actor, code, action=Action.CHANGE)
    try:
        services.notice_withdraw(actor=actor, notice=notice, request=request)
    except services.AlreadyEnded:
        messages.info(request, "This notice had already ended or been withdrawn. Nothing has changed.")
    else:
        messages.success(request, "Notice withdrawn. Residents no longer see it.")
    return redirect("notices:staff_detail", code=notice.uuid)
