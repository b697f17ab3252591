"""The complaints team's pages: the queue by clock, a complaint's page with its whole timeline,
one POST route for each change, and the annual self-assessment figures (page and CSV).

Reading is for complaints handlers and the DPO everywhere and housing officers in their patches;
working a complaint is for complaints handlers and those housing officers (the DPO: 403). At
stage 2 nobody who handled stage 1 may act: the service refuses, and the database too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from porch.complaints import access, figures, services
from porch.complaints.forms import ExtendForm, NoteForm, QueueFilterForm, RespondForm, YearForm
from porch.complaints.models import HANDLERS, READING_ROLES, Complaint
from porch.complaints.ombudsman import ombudsman_for
from porch.complaints.queue import queue_page
from porch.core.actions import Action
from porch.core.forms import GovukForm
from porch.core.pdf import PdfUnavailable
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest

READERS = staff(*sorted(READING_ROLES), personal_data=True)
HANDLER = staff(*sorted(HANDLERS), personal_data=True)
PAGE_SIZE = 50

Build = Callable[[QueryDict | None, Complaint], GovukForm]
FORMS: dict[str, Build] = {
    "update": lambda data, c: NoteForm(
        data, prefix="update", label="Update for the resident", help_text="The household reads this on the complaint."
    ),
    "note": lambda data, c: NoteForm(
        data, prefix="note", label="Internal note", help_text="Only staff read this. The resident never sees it."
    ),
    "extend": lambda data, c: ExtendForm(data, nation=c.nation, stage=c.stage),
    "respond": lambda data, c: RespondForm(data),
}


@audience(READERS)
def staff_queue(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = QueueFilterForm(request.GET or None)
    clock = form.cleaned_data.get("clock", "") if form.is_bound and form.is_valid() else ""
    page = queue_page(actor, clock, timezone.localdate(), request.GET, PAGE_SIZE)
    services.complaints_seen(actor, page.items, "list", request)
    context = {"form": form, "page": page, "complaints": page.items, "today": timezone.localdate()}
    return render(request, "complaints/staff/queue.html", context)


@audience(READERS)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    return _detail(request, access.get_complaint_for(request.actor, code))


def _detail(request: PorchRequest, complaint: Complaint, bound: tuple[str, GovukForm] | None = None) -> HttpResponse:
    actor = request.actor
    services.complaints_seen(actor, [complaint], "view", request)
    stages = list(complaint.stages.select_related("response"))
    current = stages[-1]
    forms: dict[str, GovukForm] = {}
    blocked = complaint.stage == 2 and services.handled_stage_1(actor, complaint)
    if access.may_change(actor, complaint) and not blocked:
        forms = {name: build(None, complaint) for name, build in FORMS.items()}
        if current.responded_on is not None:
            forms.pop("extend")
            forms.pop("respond")
        if bound is not None:
            forms[bound[0]] = bound[1]
    context: dict[str, Any] = {
        "complaint": complaint,
        "stages": stages,
        "current": current,
        "entries": list(access.all_entries(complaint)),
        "forms": forms,
        "failed": bound[1] if bound else None,
        "blocked": blocked,
        "may_acknowledge": bool(forms) and current.acknowledge_by and not current.acknowledged_on,
        "may_close": bool(forms) and complaint.is_open and current.responded_on is not None,
        "ombudsman": ombudsman_for(complaint.region),
        "today": timezone.localdate(),
    }
    return render(request, "complaints/staff/detail.html", context)


Apply = Callable[[PorchRequest, Complaint, Any], str]


def _change(request: PorchRequest, code: UUID, name: str, apply: Apply) -> HttpResponse:
    """Get the complaint for a change (404 not visible, 403 may not work it), check the form,
    apply it; a form with errors shows the complaint's page again with the error summary."""
    complaint = access.get_complaint_for(request.actor, code, action=Action.CHANGE)
    form = FORMS[name](request.POST, complaint)
    if not form.is_valid():
        return _detail(request, complaint, bound=(name, form))
    try:
        done = apply(request, complaint, form)
    except (services.NotNow, ValueError) as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    except PdfUnavailable:
        messages.error(request, "Letters cannot be made as PDF on this server. Nothing has changed.")
    else:
        messages.success(request, done)
    return redirect("complaints:staff_detail", code=complaint.uuid)


@audience(HANDLER)
@require_POST
def staff_acknowledge(request: PorchRequest, code: UUID) -> HttpResponse:
    complaint = access.get_complaint_for(request.actor, code, action=Action.CHANGE)
    try:
        changed = services.complaint_acknowledge(actor=request.actor, complaint=complaint, request=request)
    except services.NotNow as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        if changed:
            messages.success(request, "Complaint acknowledged. The household can see the date we will respond by.")
        else:
            messages.info(request, "That was already done. Nothing has changed.")
    return redirect("complaints:staff_detail", code=complaint.uuid)


def _note(published: bool) -> Apply:
    def apply(request: PorchRequest, complaint: Complaint, form: NoteForm) -> str:
        services.complaint_note(
            actor=request.actor,
            complaint=complaint,
            text=form.cleaned_data["text"],
            published=published,
            key=form.cleaned_data["key"],
            request=request,
        )
        return "Update published to the household." if published else "Internal note added."

    return apply


@audience(HANDLER)
@require_POST
def staff_update(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "update", _note(published=True))


@audience(HANDLER)
@require_POST
def staff_note(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "note", _note(published=False))


@audience(HANDLER)
@require_POST
def staff_extend(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, complaint: Complaint, form: ExtendForm) -> str:
        until = services.complaint_extend(
            actor=request.actor,
            complaint=complaint,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        return f"Extended to {until:%-d %B %Y}. The household can see the new date and why."

    return _change(request, code, "extend", apply)


@audience(HANDLER)
@require_POST
def staff_respond(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, complaint: Complaint, form: RespondForm) -> str:
        changed = services.complaint_respond(
            actor=request.actor,
            complaint=complaint,
            outcome=form.cleaned_data["outcome"],
            text=form.cleaned_data["text"],
            key=form.cleaned_data["key"],
            request=request,
        )
        if not changed:
            return "That was already done. Nothing has changed."
        return "Response sent. The letter is in the household's documents."

    return _change(request, code, "respond", apply)


@audience(HANDLER)
@require_POST
def staff_close(request: PorchRequest, code: UUID) -> HttpResponse:
    complaint = access.get_complaint_for(request.actor, code, action=Action.CHANGE)
    try:
        changed = services.complaint_close(actor=request.actor, complaint=complaint, request=request)
    except services.NotNow as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        messages.success(request, "Complaint closed.") if changed else messages.info(request, "It was already closed.")
    return redirect("complaints:staff_detail", code=complaint.uuid)


@audience(READERS)
def staff_figures(request: PorchRequest) -> HttpResponse:
    """Counts only: no complaint is shown, so nothing is audited."""
    form, year = _year(request)
    found = figures.figures_for(request.actor, year)
    table = [(number, [row[key] for key, _ in figures.COLUMNS]) for number, row in found.rows.items()]
    context = {"form": form, "figures": found, "columns": figures.COLUMNS, "table": table}
    return render(request, "complaints/staff/figures.html", context)


@audience(READERS)
def staff_figures_csv(request: PorchRequest) -> HttpResponse:
    _, year = _year(request)
    found = figures.figures_for(request.actor, year)
    response = HttpResponse(figures.as_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{year}-{year + 1}.csv"'
    return response


def _year(request: PorchRequest) -> tuple[YearForm, int]:
    """The year asked for, or this one (from 1 April) when none or a wrong one is given."""
    this_year = figures.year_of(timezone.localdate())
    form = YearForm(request.GET or None, initial={"year": this_year})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    return form, year
