"""The repairs team's pages: the queue, the clocks dashboard, a block's shared-area repairs,
a repair's page, its photos, and one POST route for each change to a repair.

Reading is for the repairs team, customer services and the DPO everywhere, and housing
officers in their patches; changing is for repairs coordinators alone (403 for the rest,
from the route's audience and again from access.get_repair_for). Every page that shows
repairs is audited: lists as "list", a repair's page as "view", a photo as "download"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.forms import GovukForm
from porch.core.paging import page_of
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.repairs import access, services, staff_queue, triage
from porch.repairs.models import COORDINATORS, READING_ROLES, Repair
from porch.repairs.photos import photo_response
from porch.repairs.staff_forms import (
    BREACHED,
    AssignForm,
    CloseForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    TriageForm,
)

READERS = staff(*sorted(READING_ROLES), personal_data=True)
COORDINATOR = staff(*sorted(COORDINATORS), personal_data=True)
PAGE_SIZE = 50

# Each change's form, built for one repair from the posted data (None: unbound).
Build = Callable[[QueryDict | None, Repair], GovukForm]
FORMS: dict[str, Build] = {
    "triage": lambda data, repair: TriageForm(data, repair=repair),
    "assign": lambda data, repair: AssignForm(data, repair=repair),
    "update": lambda data, repair: NoteForm(
        data,
        prefix="update",
        label="Update for the resident",
        help_text="The resident reads this on their repair's page. Do not name anyone else.",
    ),
    "contractor_note": lambda data, repair: NoteForm(
        data,
        prefix="contractor",
        label="Note for the contractor",
        help_text="The firm the repair is assigned to reads this. Give only what they need to do the job.",
    ),
    "note": lambda data, repair: NoteForm(
        data, prefix="note", label="Internal note", help_text="Only the repairs team and other staff read this."
    ),
    "investigated": lambda data, repair: ReasonForm(
        data,
        prefix="investigated",
        label="What the investigation found",
        help_text="For the written summary. Only staff read this note.",
    ),
    "hazard": lambda data, repair: ReasonForm(data, prefix="hazard"),
    "close": lambda data, repair: CloseForm(data),
}


@audience(READERS)
def staff_queue_page(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        page = page_of(access.repairs_for_staff(actor).none(), request.GET, size=PAGE_SIZE)
    else:
        page = staff_queue.queue_page(actor, filters, timezone.now(), request.GET, PAGE_SIZE)
    services.record_reads(actor, "list", page.items, request)
    context = {"form": form, "page": page, "repairs": page.items, "now": timezone.now(), "filters": filters}
    overdue_first = filters.get("clock") == BREACHED
    context["caption"] = "Repairs, the longest overdue first" if overdue_first else "Repairs, the latest reported first"
    return render(request, "repairs/staff/queue.html", context)


@audience(READERS)
def staff_clocks(request: PorchRequest) -> HttpResponse:
    """Counts only: no repair is shown, so nothing is audited."""
    counts = staff_queue.clock_counts(request.actor, timezone.now())
    rows = [(law, staff_queue.LAW_WORDS[law], buckets) for law, buckets in counts.items()]
    return render(request, "repairs/staff/clocks.html", {"rows": rows, "buckets": staff_queue.BUCKET_WORDS})


@audience(READERS)
def staff_block(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    block = staff_queue.block_for_staff(actor, code)
    page = Paginator(staff_queue.block_repairs(actor, block), PAGE_SIZE).get_page(request.GET.get("page"))
    repairs = list(page.object_list)
    services.record_reads(actor, "list", repairs, request)
    context = {"block": block, "page": page, "repairs": repairs, "now": timezone.now()}
    return render(request, "repairs/staff/block.html", context)


@audience(READERS)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    repair = access.get_repair_for(request.actor, code)
    return _detail(request, repair)


def _detail(request: PorchRequest, repair: Repair, bound: tuple[str, GovukForm] | None = None) -> HttpResponse:
    """A repair's page, with a coordinator's forms; `bound` is the form that just failed,
    shown with its errors."""
    actor = request.actor
    services.record_reads(actor, "view", [repair], request)
    may_act = access.may_change(actor, repair) and repair.is_open
    forms: dict[str, GovukForm] = {}
    if access.may_change(actor, repair):
        forms = {name: build(None, repair) for name, build in FORMS.items()}
        if bound is not None:
            forms[bound[0]] = bound[1]
    context: dict[str, Any] = {
        "repair": repair,
        **staff_queue.repair_record(repair),
        "forms": forms,
        "failed": bound[1] if bound else None,
        "may_act": may_act,
        "awaab": repair.kind.damp and repair.nation == "england",
        "now": timezone.now(),
    }
    return render(request, "repairs/staff/detail.html", context)


@audience(READERS)
def staff_photo(request: PorchRequest, code: UUID) -> FileResponse:
    """A photo of a repair the actor may see, as an attachment (never rendered as a page)."""
    actor = request.actor
    repair = access.repairs_for_staff(actor).filter(photos__uuid=code).first()
    if repair is None:
        raise Http404
    photo = access.get_photo_for(actor, repair, code)
    services.record_reads(actor, "download", [repair], request)
    return photo_response(repair, photo, attachment=True)


# --- Changes: one POST route each ---------------------------------------------------------

Apply = Callable[[PorchRequest, Repair, Any], bool]


def _change(request: PorchRequest, code: UUID, name: str, apply: Apply, done: str) -> HttpResponse:
    """Get the repair for a change (404 not visible, 403 not a coordinator), check the form,
    apply it; a form with errors shows the repair's page again with the error summary."""
    repair = access.get_repair_for(request.actor, code, action=Action.CHANGE)
    form = FORMS[name](request.POST, repair)
    if not form.is_valid():
        return _detail(request, repair, bound=(name, form))
    try:
        changed = apply(request, repair, form)
    except triage.NotApplicable as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        if changed:
            messages.success(request, done)
        else:
            messages.info(request, "That was already done. Nothing has changed.")
    return redirect("repairs:staff_detail", code=repair.uuid)


@audience(COORDINATOR)
@require_POST
def staff_triage(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, repair: Repair, form: TriageForm) -> bool:
        category, priority = form.chosen()
        reason = form.cleaned_data["reason"]
        return triage.triage(
            actor=request.actor, repair=repair, category=category, priority=priority, reason=reason, request=request
        )

    return _change(request, code, "triage", apply, "Repair triaged. The resident has been told it has been checked.")


@audience(COORDINATOR)
@require_POST
def staff_assign(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, repair: Repair, form: AssignForm) -> bool:
        reason = form.cleaned_data["reason"]
        return triage.assign(actor=request.actor, repair=repair, firm=form.chosen(), reason=reason, request=request)

    return _change(request, code, "assign", apply, "Repair assigned. Any firm that had it before can no longer see it.")


def _note(published: bool = False, for_contractor: bool = False) -> Apply:
    def apply(request: PorchRequest, repair: Repair, form: NoteForm) -> bool:
        note = triage.Note(form.cleaned_data["text"], form.cleaned_data["key"])
        triage.add_note(
            actor=request.actor,
            repair=repair,
            note=note,
            published=published,
            for_contractor=for_contractor,
            request=request,
        )
        return True

    return apply


@audience(COORDINATOR)
@require_POST
def staff_update(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "update", _note(published=True), "Update published to the resident.")


@audience(COORDINATOR)
@require_POST
def staff_contractor_note(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "contractor_note", _note(for_contractor=True), "Note passed to the contractor.")


@audience(COORDINATOR)
@require_POST
def staff_note(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "note", _note(), "Internal note added.")


@audience(COORDINATOR)
@require_POST
def staff_investigated(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, repair: Repair, form: ReasonForm) -> bool:
        findings = form.cleaned_data["reason"]
        return triage.investigated(actor=request.actor, repair=repair, findings=findings, request=request)

    return _change(
        request, code, "investigated", apply, "Investigation recorded. The written summary is due in 3 working days."
    )


@audience(COORDINATOR)
@require_POST
def staff_hazard(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, repair: Repair, form: ReasonForm) -> bool:
        return triage.flag_hazard(
            actor=request.actor, repair=repair, reason=form.cleaned_data["reason"], request=request
        )

    return _change(request, code, "hazard", apply, "Emergency hazard recorded. It must be made safe within 24 hours.")


@audience(COORDINATOR)
@require_POST
def staff_made_safe(request: PorchRequest, code: UUID) -> HttpResponse:
    repair = access.get_repair_for(request.actor, code, action=Action.CHANGE)
    try:
        changed = triage.made_safe(actor=request.actor, repair=repair, request=request)
    except triage.NotApplicable as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        _said(request, changed, "Recorded that the hazard has been made safe.")
    return redirect("repairs:staff_detail", code=repair.uuid)


@audience(COORDINATOR)
@require_POST
def staff_summary_sent(request: PorchRequest, code: UUID) -> HttpResponse:
    repair = access.get_repair_for(request.actor, code, action=Action.CHANGE)
    changed = triage.summary_sent(actor=request.actor, repair=repair, request=request)
    _said(request, changed, "Recorded that the written summary has been sent.")
    return redirect("repairs:staff_detail", code=repair.uuid)


def _said(request: PorchRequest, changed: bool, done: str) -> None:
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, "That was already done, or does not apply. Nothing has changed.")


@audience(COORDINATOR)
@require_POST
def staff_close(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, repair: Repair, form: CloseForm) -> bool:
        completed = form.cleaned_data["outcome"] == "completed"
        message = form.cleaned_data["message"]
        return triage.close(actor=request.actor, repair=repair, completed=completed, message=message, request=request)

    return _change(request, code, "close", apply, "Repair closed. The resident has been told.")
