"""The feed's staff pages: the batches and sending one in, a batch's page (its progress,
preview and problems, with Apply and Withdraw), its problems as a spreadsheet, and the
people held because they look like someone already here.

For the guardians (the DPO and system administrators) with current training: a batch
carries the housing record. Reading a batch's page or its problems is audited as
`feed_batch`; the held people are `person` reads, one row per person they look like."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.audit.services import Seen, record, record_many
from porch.core.modules import ApprovalRefused
from porch.core.paging import page_of
from porch.core.roles import GUARDIANS, StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.core.upload_handlers import upload_cap
from porch.core.uploads import MEGABYTE
from porch.feed import access, services
from porch.feed.entities import entity_for
from porch.feed.kinds import FEED_BATCH
from porch.feed.models import FeedBatch, FeedProblem
from porch.feed.pipeline import PREVIEW_LIST
from porch.feed.staff_forms import NEITHER, HeldDecisionForm, UploadForm

FEED_STAFF = staff(*sorted(GUARDIANS), personal_data=True)
HELD_STAFF = staff(StaffRole.DPO, personal_data=True)
PAGE_SIZE = 25
PROBLEMS_SHOWN = 50
REFRESH_SECONDS = 5
Status = FeedBatch.Status
Stage = FeedProblem.Stage
# Still moving: its page offers to update itself until it stops.
MOVING = (Status.RECEIVED, Status.CHECKING, Status.APPLYING)
TAGS = {
    Status.RECEIVED: "govuk-tag--blue",
    Status.CHECKING: "govuk-tag--blue",
    Status.APPLYING: "govuk-tag--blue",
    Status.PREVIEWED: "govuk-tag--turquoise",
    Status.WAITING_APPROVAL: "govuk-tag--yellow",
    Status.APPLIED: "govuk-tag--green",
    Status.REFUSED: "govuk-tag--red",
    Status.FAILED: "govuk-tag--red",
    Status.WITHDRAWN: "govuk-tag--grey",
}
RESULT_WORDS = {"created": "New", "changed": "Changed", "held": "Held for staff", "refused": "Refused"}


@audience(FEED_STAFF)
@upload_cap(lambda: settings.FEED_MAX_MEGABYTES * MEGABYTE)
def staff_list(request: PorchRequest) -> HttpResponse:
    """The batches, newest first, and the form that sends a file in. The upload is streamed to
    the batch's storage (Django keeps a large one in a temporary file, never in memory)."""
    actor = request.actor
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        batch, made = services.batch_upload(
            actor=actor,
            entity=form.cleaned_data["entity"],
            fmt=form.file_format,
            filename=upload.name or "",
            stream=upload,
            request=request,
        )
        if made:
            messages.success(request, "File received. It is checked first: nothing changes until you apply it.")
        else:
            messages.info(request, "This file had already been sent. This is its batch: nothing new was made.")
        return redirect("feed:staff_batch", code=batch.uuid)
    page = page_of(access.batches_for_staff(actor), request.GET, size=PAGE_SIZE, by="received_at")
    context = {"form": form, "page": page, "batches": [_listed(batch) for batch in page.items]}
    context["may_decide_held"] = access.may_decide_held(request.actor)
    return render(request, "feed/staff/list.html", context)


def _listed(batch: FeedBatch) -> dict[str, Any]:
    return {"batch": batch, "holds": _holds(batch), "tag": TAGS[Status(batch.status)], "counts": _counts(batch)}


def _holds(batch: FeedBatch) -> str:
    """What the file holds, in words (the entity's title)."""
    return entity_for(batch.entity).layout.title


def _counts(batch: FeedBatch) -> dict[str, Any]:
    """What applying did, once it has started; before that, what the preview says it would do."""
    if batch.apply_started_at is not None:
        return {"applied": True, **batch.counts}
    return {"applied": False, **{name: batch.preview.get(name, 0) for name in batch.counts}}


@audience(FEED_STAFF)
def staff_batch(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    batch = access.get_batch_for(actor, code)
    record(actor=actor, action="view", object_type=FEED_BATCH, object_id=batch.uuid, request=request)
    moving = batch.status in MOVING
    context = {
        "batch": batch,
        "holds": _holds(batch),
        "tag": TAGS[Status(batch.status)],
        "moving": moving,
        # Only when asked for: a page that reloads by itself unasked fails WCAG 2.2.1.
        "following": moving and request.GET.get("refresh") == "on",
        "refresh_seconds": REFRESH_SECONDS,
        "preview": _preview(batch),
        "problems": {stage: _problems(batch, stage) for stage in (Stage.PREVIEW, Stage.APPLY)},
        "may_apply": services.may_start(batch),
        "may_decide_held": access.may_decide_held(request.actor),
        "may_withdraw": services.may_withdraw(batch),
        "waiting": batch.status == Status.WAITING_APPROVAL,
    }
    return render(request, "feed/staff/batch.html", context)


def _preview(batch: FeedBatch) -> dict[str, Any] | None:
    summary = batch.preview
    if not summary:
        return None
    changes = [{**change, "words": RESULT_WORDS.get(change["result"], "")} for change in summary.get("changes", [])]
    counts = {name: summary.get(name, 0) for name in ("read", "created", "changed", "unchanged", "refused", "held")}
    return {
        **counts,
        "ends_tenancy": summary.get("ends_tenancy", 0),
        "moves_person": summary.get("moves_person", 0),
        "changes": changes,
        "cut_short": len(changes) >= PREVIEW_LIST,
    }


def _problems(batch: FeedBatch, stage: str) -> dict[str, Any]:
    found = access.problems_of(batch, stage)
    return {"shown": list(found[:PROBLEMS_SHOWN]), "total": found.count(), "stage": stage}


@audience(FEED_STAFF)
def staff_problems(request: PorchRequest, code: UUID) -> StreamingHttpResponse:
    """Every problem of one stage (?stage=preview, the default, or apply) as CSV: the line, the
    column and why, never a value from the row (the file keeps those)."""
    actor = request.actor
    batch = access.get_batch_for(actor, code)
    stage = request.GET.get("stage", Stage.PREVIEW)
    if stage not in Stage.values:
        raise Http404
    record(actor=actor, action="download", object_type=FEED_BATCH, object_id=batch.uuid, reason=stage, request=request)
    rows = access.problems_of(batch, stage).values_list("line", "field", "why").iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_lines(["line", "field", "why"], rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.uuid}-{stage}-problems.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Line:
    """csv.writer's file: hands back each line it writes, for a streamed response."""

    def write(self, text: str) -> str:
        return text


def _csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@audience(FEED_STAFF)
@require_POST
def staff_apply(request: PorchRequest, code: UUID) -> HttpResponse:
    """Apply a previewed batch, carry on with one that stopped, or (a large one) ask a second
    person to approve it. A second press while it is applying is refused: one run."""
    batch = access.get_batch_for(request.actor, code)
    try:
        said = services.batch_apply(actor=request.actor, batch=batch, request=request)
    except (services.CannotApply, ApprovalRefused) as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        messages.success(request, said)
    return redirect("feed:staff_batch", code=batch.uuid)


@audience(FEED_STAFF)
@require_POST
def staff_withdraw(request: PorchRequest, code: UUID) -> HttpResponse:
    batch = access.get_batch_for(request.actor, code)
    if batch.status == Status.WITHDRAWN:
        messages.info(request, "This batch had already been withdrawn. Nothing has changed.")
        return redirect("feed:staff_batch", code=batch.uuid)
    try:
        services.batch_withdraw(actor=request.actor, batch=batch, request=request)
    except services.CannotApply as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        messages.success(request, "Batch withdrawn. Nothing more from it will be applied.")
    return redirect("feed:staff_batch", code=batch.uuid)


@audience(HELD_STAFF)
def staff_held(request: PorchRequest) -> HttpResponse:
    """The people waiting, the longest waiting first, each beside the person they look like."""
    actor = request.actor
    page = page_of(access.held_waiting(actor), request.GET, size=PAGE_SIZE, by="id", ascending=True)
    tenancies = access.current_tenancy_references(held.looks_like_id for held in page.items)
    seen = [Seen(held.uuid, [held.looks_like_id], reason="held by the housing record feed") for held in page.items]
    if seen:
        record_many(actor=actor, action="list", object_type="person", seen=seen, request=request)
    held = [(person, tenancies.get(person.looks_like_id, [])) for person in page.items]
    return render(request, "feed/staff/held.html", {"page": page, "held": held})


@audience(HELD_STAFF)
@require_POST
def staff_held_decide(request: PorchRequest, code: UUID) -> HttpResponse:
    held = access.get_held_for(request.actor, code)
    form = HeldDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, NEITHER)
        return redirect("feed:staff_held")
    try:
        services.held_person_decide(actor=request.actor, held=held, add=form.adds, request=request)
    except services.CannotApply as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        done = "Added as a different person." if form.adds else "Left out. Put it right in the housing system."
        messages.success(request, done)
    return redirect("feed:staff_held")
