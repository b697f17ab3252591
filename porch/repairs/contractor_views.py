"""A contractor firm's jobs: the list, one job, and what the firm does on it. Each job shows
what the work needs (where, how to get in, what is wrong, one contact) and nothing else about
the household. Every read is audited; every change goes through contractor_work."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.db.models import Case, IntegerField, Min, Q, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.routes import Audience, audience, module
from porch.core.types import PorchRequest
from porch.repairs import access, contractor_work, services
from porch.repairs.contractor_forms import CompleteForm, NoteForm, VisitForm
from porch.repairs.models import Repair, RepairEvent
from porch.repairs.photos import photo_response

# A contractor firm's user who has passed two-step verification (unverified: sent to set-up).
CONTRACTOR = Audience("contractor", lambda actor: actor.is_contractor)
PAGE_SIZE = 50


@audience(CONTRACTOR)
@module("repairs")
def jobs(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    found = (
        access.repairs_for_contractor(actor)
        .annotate(
            closed_last=Case(
                When(closed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            next_due=Min("clocks__due_at", filter=Q(clocks__met_at__isnull=True)),
        )
        .order_by("closed_last", "next_due", "-reported_at", "-id")
    )
    shown = list(found[:PAGE_SIZE])
    services.record_reads(actor, "list", shown, request)
    return render(request, "repairs/contractor/jobs.html", {"jobs": shown, "more": found.count() > PAGE_SIZE})


@audience(CONTRACTOR)
@module("repairs")
def job(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code)
    services.record_reads(actor, "view", [repair], request)
    notes = access.contractor_entries(repair).select_related("by").prefetch_related("photos")
    context = {
        "repair": repair,
        "clocks": list(repair.clocks.all()),
        "notes": list(notes),
        # The reporter's photos: the contractor's own are shown with their notes.
        "photos": list(repair.photos.filter(event__isnull=True)),
        "appointment": repair.appointments.filter(cancelled_at__isnull=True).select_related("slot").first(),
        "proposal": contractor_work.latest_proposal(repair),
        "may_change": access.may_change(actor, repair),
        "accepted": repair.events.filter(kind=RepairEvent.Kind.ACCEPTED, by__firm_id=actor.firm_id).exists(),
    }
    return render(request, "repairs/contractor/job.html", context)


@audience(CONTRACTOR)
@module("repairs")
def job_photo(request: PorchRequest, code: UUID) -> FileResponse:
    """A photo of one of the firm's jobs, found through the job (a photo of anything else: 404)."""
    actor = request.actor
    repair = access.repairs_for_contractor(actor).filter(photos__uuid=code).first()
    if repair is None:
        raise Http404
    photo = access.get_photo_for(actor, repair, code)
    services.record_reads(actor, "download", [repair], request)
    return photo_response(repair, photo)


@audience(CONTRACTOR)
@module("repairs")
@require_POST
def job_accept(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code, action=Action.CHANGE)
    if contractor_work.accept(actor=actor, repair=repair, request=request):
        messages.success(request, "Job accepted. Contact the household to arrange a visit.")
    else:
        messages.info(request, "Your firm had already accepted this job. Nothing has changed.")
    return redirect("repairs:job", code=repair.uuid)


@audience(CONTRACTOR)
@module("repairs")
def job_visit(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code, action=Action.CHANGE)
    form = VisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        when = form.cleaned_data["when"]
        contractor_work.propose_visit(actor=actor, repair=repair, when=when, request=request)
        messages.success(request, f"Visit recorded for {contractor_work.visit_words(when)}. The household is told.")
        return redirect("repairs:job", code=repair.uuid)
    return render(request, "repairs/contractor/visit.html", {"repair": repair, "form": form})


@audience(CONTRACTOR)
@module("repairs")
def job_note(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = _repair_or_done(request, code)
    if isinstance(repair, HttpResponse):
        return repair
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contractor_work.add_note(
            actor=actor,
            repair=repair,
            text=data["text"],
            photos=data["photos"],
            key=data["idempotency_key"],
            request=request,
        )
        messages.success(request, "Note added. The repairs team can read it.")
        return redirect("repairs:job", code=repair.uuid)
    return render(request, "repairs/contractor/note.html", {"repair": repair, "form": form})


@audience(CONTRACTOR)
@module("repairs")
def job_complete(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = _repair_or_done(request, code)
    if isinstance(repair, HttpResponse):
        return repair
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contractor_work.complete_job(
                actor=actor,
                repair=repair,
                note=data["text"],
                photos=data["photos"],
                key=data["idempotency_key"],
                request=request,
            )
        except contractor_work.AlreadyClosed:
            messages.info(request, "This job had already been closed. Nothing has changed.")
        else:
            messages.success(request, "Job marked as complete. The household is told.")
        return redirect("repairs:job", code=repair.uuid)
    return render(request, "repairs/contractor/complete.html", {"repair": repair, "form": form})


def _repair_or_done(request: PorchRequest, code: UUID) -> Repair | HttpResponse:
    """The job to change; or, for a second submit of a note that was already saved (the job
    may be closed by it), back to the job as if it had just been saved."""
    actor = request.actor
    key = request.POST.get("idempotency_key", "") if request.method == "POST" else ""
    if key:
        seen = access.get_repair_for(actor, code)
        try:
            made = seen.events.filter(uuid=uuid.UUID(key)).exists()
        except ValueError:
            made = False
        if made:
            return redirect("repairs:job", code=seen.uuid)
    return access.get_repair_for(actor, code, action=Action.CHANGE)
