"""Back-office pages for details change requests: the queue, and a page to decide each one.
Every page shows personal data, so every page is audited."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.audit.services import Seen, record, record_many
from porch.core.actions import Action
from porch.core.forms import GovukForm
from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.housing import access
from porch.housing.forms import DeclineForm, approve_form_for
from porch.housing.models import DetailsChangeRequest
from porch.housing.services import AlreadyDecided, details_change_request_approve, details_change_request_decline

# Customer services and housing officers decide; the DPO looks on. All need current training.
CHANGE_REQUESTS = staff(StaffRole.CUSTOMER_SERVICES, StaffRole.HOUSING_OFFICER, StaffRole.DPO, personal_data=True)
PAGE_SIZE = 50


@audience(CHANGE_REQUESTS)
def queue(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(access.change_requests_waiting(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    seen = [Seen(change.uuid, [change.person_id], change.tenancy_id) for change in page]
    record_many(
        actor=actor, action="list", object_type="details_change_request", seen=seen or [Seen()], request=request
    )
    return render(request, "housing/staff/queue.html", {"page": page})


@audience(CHANGE_REQUESTS)
def detail(request: PorchRequest, code: UUID) -> HttpResponse:
    change = access.get_change_request_for(request.actor, code)
    return _decision_page(request, change)


@audience(CHANGE_REQUESTS)
@require_POST
def approve(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    change = access.get_change_request_for(actor, code, action=Action.DECIDE)
    if not change.is_open:
        return _already_decided(request, change)
    form = approve_form_for(change, request.POST)
    if form.is_valid():
        try:
            details_change_request_approve(actor=actor, change=change, request=request, **form.cleaned_data)
        except AlreadyDecided:
            return _already_decided(request, change)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Approved: {change.get_field_display().lower()}. We have told the resident.")
            return redirect("changes:queue")
    return _decision_page(request, change, approve_form=form)


@audience(CHANGE_REQUESTS)
@require_POST
def decline(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    change = access.get_change_request_for(actor, code, action=Action.DECIDE)
    if not change.is_open:
        return _already_decided(request, change)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            details_change_request_decline(
                actor=actor, change=change, reason=form.cleaned_data["reason"], request=request
            )
        except AlreadyDecided:
            return _already_decided(request, change)
        messages.success(request, "Declined. The resident will see your reason on their My details page.")
        return redirect("changes:queue")
    return _decision_page(request, change, decline_form=form)


def _already_decided(request: PorchRequest, change: DetailsChangeRequest) -> HttpResponse:
    messages.info(request, "Someone has already decided this request. Nothing else has been changed.")
    return redirect("changes:detail", code=change.uuid)


def _decision_page(
    request: PorchRequest,
    change: DetailsChangeRequest,
    *,
    approve_form: GovukForm | None = None,
    decline_form: GovukForm | None = None,
) -> HttpResponse:
    """The request beside what the record says now, and (for those who decide) the two decisions."""
    actor = request.actor
    # Reached through the tenancy it is filed under, which is what lets staff see it.
    record(
        actor=actor,
        action="view",
        object_type="details_change_request",
        object_id=change.uuid,
        subject_ids=[change.person_id],
        tenancy_id=change.tenancy_id,
        request=request,
    )
    context = {
        "change": change,
        "may_decide": change.is_open and actor.has_role(*access.CHANGE_REQUEST_DECIDERS),
        "approve_form": approve_form or approve_form_for(change),
        "decline_form": decline_form or DeclineForm(prefix="decline"),
    }
    return render(request, "housing/staff/change_request.html", context)
