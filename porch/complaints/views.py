"""The resident's complaints: the list, making one, one complaint's page (its stage, each
deadline, any extension and why, the published timeline, the response letters, the way to
stage 2 and then to the ombudsman), and taking it to stage 2."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from porch.complaints import access, services
from porch.complaints.forms import ComplaintForm, EscalateForm
from porch.complaints.models import Complaint
from porch.complaints.ombudsman import ombudsman_for
from porch.core.actions import Action
from porch.core.paging import page_of
from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest

PAGE_SIZE = 25


@audience(RESIDENT)
@module("complaints")
def complaint_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    mine = access.complaints_for_resident(actor).order_by("-received_on", "-id")
    page = page_of(mine, request.GET, size=PAGE_SIZE, by="received_on")
    complaints = list(page.items)
    services.complaints_seen(actor, complaints, "list", request)
    may_make = bool(access.tenancies_to_complain_about(actor)) and not actor.is_viewing_as
    context = {"complaints": complaints, "page": page, "may_make": may_make}
    return render(request, "complaints/list.html", context)


@audience(RESIDENT)
@module("complaints")
@require_http_methods(["GET", "POST"])
def complaint_new(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    homes = access.tenancies_to_complain_about(actor)
    if not homes or actor.is_viewing_as:
        return render(request, "complaints/no_home.html", status=403)
    form = ComplaintForm(request.POST or None, homes=homes)
    if request.method == "POST" and form.is_valid():
        new = services.NewComplaint(
            tenancy=form.cleaned_data["home"],
            about=form.cleaned_data["about"],
            wanted=form.cleaned_data["wanted"],
            repair_reference=form.cleaned_data["repair_reference"],
        )
        complaint = services.complaint_make(actor=actor, new=new, key=form.cleaned_data["key"], request=request)
        return redirect("complaints:detail", code=complaint.uuid)
    return render(request, "complaints/new.html", {"form": form})


@audience(RESIDENT)
@module("complaints")
def complaint_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    complaint = access.get_complaint_for(actor, code)
    services.complaints_seen(actor, [complaint], "view", request)
    return render(request, "complaints/detail.html", _page(complaint, may_change=access.may_change(actor, complaint)))


@audience(RESIDENT)
@module("complaints")
@require_http_methods(["GET", "POST"])
def complaint_escalate(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    complaint = access.get_complaint_for(actor, code, action=Action.CHANGE)
    if not services.may_escalate(complaint, services.current_stage(complaint)):
        return redirect("complaints:detail", code=complaint.uuid)
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.complaint_escalate(
            actor=actor, complaint=complaint, comment=form.cleaned_data["comment"], request=request
        )
        return redirect("complaints:detail", code=complaint.uuid)
    services.complaints_seen(actor, [complaint], "view", request)
    return render(request, "complaints/escalate.html", {"complaint": complaint, "form": form})


def _page(complaint: Complaint, *, may_change: bool) -> dict[str, Any]:
    stages = list(complaint.stages.select_related("response"))
    current = stages[-1]
    return {
        "complaint": complaint,
        "stages": stages,
        "current": current,
        "entries": list(access.published_entries(complaint)),
        "may_escalate": may_change and services.may_escalate(complaint, current),
        "final": complaint.stage == 2 and current.responded_on is not None,
        "ombudsman": ombudsman_for(complaint.region),
        "today": timezone.localdate(),
    }
