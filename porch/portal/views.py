"""The resident's portal: the home page that gathers every module's panels, their details
and requests to change them, and who has looked at their record. These pages combine
the housing record, accounts and the audit log, so they sit above them (ADR 0011)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format

from porch.accounts.sudo import password_refusal
from porch.audit.services import Seen, record, record_many
from porch.core.actor import Actor
from porch.core.paging import page_of
from porch.core.routes import PORTAL, RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.documents.access import documents_visible_to
from porch.documents.services import documents_seen
from porch.housing import access as housing_access
from porch.housing.forms import ChangeRequestForm
from porch.housing.models import DetailsChangeRequest, Membership, Person, Tenancy
from porch.housing.services import AlreadyAsked, details_change_request_create
from porch.portal import access
from porch.portal.describe import describe
from porch.rollout.middleware import home_panels, module_available


@audience(PORTAL)
@module("portal")
def home(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    if actor.is_staff:
        return redirect("staff:home")
    if actor.is_contractor:
        return redirect("repairs:jobs")
    if not actor.is_resident:
        return render(request, "portal/no_access.html")
    households = housing_access.households_of(actor)
    person = _own_person_among(actor, households)
    documents_on = module_available(actor, "documents")
    recent_documents = list(documents_visible_to(actor)[:3]) if documents_on else []
    seen = [Seen(tenancy.uuid, {m.person_id for m in members}, tenancy.id) for tenancy, members in households]
    record_many(
        actor=actor, action="view", object_type="dashboard", seen=seen or [Seen("", [actor.person_id])], request=request
    )
    if recent_documents:  # "What's new" names them: each about its own people
        record_many(
            actor=actor,
            action="list",
            object_type="document",
            seen=documents_seen(actor, recent_documents),
            request=request,
        )
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "households": households,
            "recent_documents": recent_documents,
            # Switched off (for everyone or their cohort), not merely "not in the pilot yet".
            "documents_off": not documents_on and "documents" in actor.rollout_modules,
            "panels": home_panels(request),
        },
    )


def _own_person_among(actor: Actor, households: list[tuple[Tenancy, list[Membership]]]) -> Person:
    """The resident's own record, from their household if they have one (no second query)."""
    for _, members in households:
        for member in members:
            if member.person_id == actor.person_id:
                return member.person
    return housing_access.own_person(actor)


@audience(RESIDENT)
@module("portal")
def my_details(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    person = housing_access.own_person(actor)
    changes = DetailsChangeRequest.objects.visible_to(actor)[:10]  # newest first: the model's ordering
    record(
        actor=actor,
        action="view",
        object_type="person",
        object_id=person.uuid,
        subject_ids=[person.id],
        request=request,
    )
    return render(request, "portal/my_details.html", {"person": person, "changes": changes})


@audience(RESIDENT)
@module("portal")
def change_request(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    person = housing_access.own_person(actor)
    # A former tenant may still have their details corrected: the request is filed under their last home.
    tenancy = housing_access.tenancy_for_change_request(actor)
    if tenancy is None:
        return render(request, "portal/no_access.html")
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        refusal = password_refusal(request, form.cleaned_data.pop("password"))
        if refusal:
            form.add_error("password", refusal)
        else:
            try:
                change = details_change_request_create(
                    actor=actor, person=person, tenancy=tenancy, request=request, **form.cleaned_data
                )
            except AlreadyAsked as asked:
                form.add_error("field", asked.message)
            else:
                reply_by = date_format(change.due_on, "j F Y")
                messages.success(request, f"We have your request. We will check it and reply by {reply_by}.")
                return redirect("portal:my_details")
    return render(request, "portal/change_request.html", {"form": form})


@audience(RESIDENT)
@module("portal")
def privacy(request: PorchRequest) -> HttpResponse:
    """Who has looked at my record, in plain English."""
    actor = request.actor
    page = page_of(access.views_of_own_record(actor), request.GET, size=30)
    entries = grouped([(event.at, describe(event)) for event in page.items])
    return render(request, "portal/privacy.html", {"page": page, "entries": entries})


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
