"""The ASB team's pages: the cases, a case's page with its whole timeline (witness statements and
internal notes included), its evidence files, finding and linking the record of the person a
report names, and one POST route for each change.

Reading: ASB officers and the DPO every case; housing officers the cases an ASB officer shared
with their patch, read only, without the files and without the linked record. Working a case:
ASB officers alone (the DPO and housing officers: 403). Everybody else: 404 for a case, 403 for
the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from porch.asb import access, services
from porch.asb.files import evidence_response
from porch.asb.forms import CloseForm, EntryForm, LinkForm, NamedSearchForm, RiskForm, ShareForm
from porch.asb.models import READERS as CASE_READERS
from porch.asb.models import READING_ROLES, WORKERS, AsbCase
from porch.core.actions import Action
from porch.core.forms import GovukForm
from porch.core.paging import page_of
from porch.core.routes import audience, module, staff
from porch.core.types import PorchRequest

READERS = staff(*sorted(READING_ROLES), personal_data=True)
EVIDENCE_READERS = staff(*sorted(CASE_READERS), personal_data=True)
WORKER = staff(*sorted(WORKERS), personal_data=True)
PAGE_SIZE = 100

Build = Callable[[QueryDict | None, AsbCase], GovukForm]
FORMS: dict[str, Build] = {
    "publish": lambda data, c: EntryForm(data, published=True),
    "note": lambda data, c: EntryForm(data, published=False),
    "risk": lambda data, c: RiskForm(data, initial={"risk": c.risk, "reason": c.risk_reason}),
    "share": lambda data, c: ShareForm(data, initial={"shared": c.shared_with_patch}),
    "close": lambda data, c: CloseForm(data),
}


@audience(READERS)
@module("asb")
def staff_list(request: PorchRequest) -> HttpResponse:
    """The newest first, a page at a time by position (porch.core.paging)."""
    actor = request.actor
    page = page_of(access.cases_for_staff(actor), request.GET, size=PAGE_SIZE, by="reported_at")
    services.cases_seen(actor, page.items, "list", request)
    return render(request, "asb/staff/list.html", {"cases": page.items, "page": page})


@audience(READERS)
@module("asb")
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    return _detail(request, access.get_case_for(request.actor, code))


def _detail(request: PorchRequest, case: AsbCase, bound: tuple[str, GovukForm] | None = None) -> HttpResponse:
    actor = request.actor
    services.cases_seen(actor, [case], "view", request)
    forms: dict[str, GovukForm] = {}
    if access.may_change(actor, case) and case.is_open:
        forms = {name: build(None, case) for name, build in FORMS.items()}
        if bound is not None:
            forms[bound[0]] = bound[1]
    named = case.named_person if access.may_read_named(actor) else None
    if named is not None:
        services.named_seen(actor, case, request)
    context: dict[str, Any] = {
        "case": case,
        "entries": list(access.entries_for_staff(actor, case)),
        "evidence": list(case.evidence.all()) if access.may_read_evidence(actor) else [],
        "named": named,
        "may_link": access.may_change(actor, case),
        "forms": forms,
        "failed": bound[1] if bound else None,
    }
    return render(request, "asb/staff/detail.html", context)


@audience(EVIDENCE_READERS)
@module("asb")
def staff_evidence(request: PorchRequest, code: UUID) -> FileResponse:
    """A photo or recording, downloaded (never shown or played inline), audited."""
    evidence = access.get_evidence_for(request.actor, code)
    services.evidence_seen(request.actor, evidence.case, evidence, request)
    return evidence_response(evidence)


@audience(WORKER)
@module("asb")
@require_http_methods(["GET", "POST"])
def staff_link(request: PorchRequest, code: UUID) -> HttpResponse:
    """Find the record of the person the report names (GET, a search) and link it (POST)."""
    actor = request.actor
    case = access.get_case_for(actor, code, action=Action.CHANGE)
    if request.method != "POST":
        return _link_page(request, case, NamedSearchForm(request.GET or None))
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _link_page(request, case, NamedSearchForm(), failed=form)
    person = access.get_person_to_link(actor, form.cleaned_data["person"])
    if services.named_link(actor=actor, case=case, person=person, request=request):
        messages.success(request, f"The report is linked to the record of {person.full_name}.")
    else:
        messages.success(request, "It was already linked to that record. Nothing has changed.")
    return redirect("asb:staff_detail", code=case.uuid)


def _link_page(
    request: PorchRequest, case: AsbCase, search: NamedSearchForm, failed: LinkForm | None = None
) -> HttpResponse:
    actor = request.actor
    people = access.people_to_link(actor, search.cleaned_data["q"]) if search.is_valid() else []
    services.cases_seen(actor, [case], "view", request)
    services.candidates_seen(actor, case, [member.person for member in people], request)
    context = {"case": case, "search": search, "people": people, "failed": failed}
    return render(request, "asb/staff/link.html", context)


@audience(WORKER)
@module("asb")
@require_POST
def staff_unlink(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    case = access.get_case_for(actor, code, action=Action.CHANGE)
    if services.named_unlink(actor=actor, case=case, request=request):
        messages.success(request, "The report is no longer linked to anyone's record.")
    else:
        messages.success(request, "It was not linked to anyone's record. Nothing has changed.")
    return redirect("asb:staff_detail", code=case.uuid)


Apply = Callable[[PorchRequest, AsbCase, Any], str]


def _change(request: PorchRequest, code: UUID, name: str, apply: Apply) -> HttpResponse:
    """Get the case for a change (404 not visible, 403 may not work it), check the form, apply
    it; a form with errors shows the case's page again with the error summary."""
    case = access.get_case_for(request.actor, code, action=Action.CHANGE)
    form = FORMS[name](request.POST, case)
    if not form.is_valid():
        return _detail(request, case, bound=(name, form))
    try:
        done = apply(request, case, form)
    except (services.NotNow, ValueError) as refused:
        messages.error(request, f"{refused} Nothing has changed.")
    else:
        messages.success(request, done)
    return redirect("asb:staff_detail", code=case.uuid)


def _entry(request: PorchRequest, case: AsbCase, form: EntryForm) -> str:
    entry = services.case_note(
        actor=request.actor,
        case=case,
        kind=form.cleaned_data["kind"],
        text=form.cleaned_data["text"],
        key=form.cleaned_data["key"],
        request=request,
    )
    return "Published to the reporter." if entry.published else "Added. The reporter does not see it."


@audience(WORKER)
@module("asb")
@require_POST
def staff_publish(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "publish", _entry)


@audience(WORKER)
@module("asb")
@require_POST
def staff_note(request: PorchRequest, code: UUID) -> HttpResponse:
    return _change(request, code, "note", _entry)


@audience(WORKER)
@module("asb")
@require_POST
def staff_risk(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, case: AsbCase, form: RiskForm) -> str:
        data = form.cleaned_data
        services.risk_assess(actor=request.actor, case=case, risk=data["risk"], reason=data["reason"], request=request)
        return "Risk assessment recorded."

    return _change(request, code, "risk", apply)


@audience(WORKER)
@module("asb")
@require_POST
def staff_share(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, case: AsbCase, form: ShareForm) -> str:
        shared = form.cleaned_data["shared"]
        if not services.share_set(actor=request.actor, case=case, shared=shared, request=request):
            return "Nothing has changed."
        return "The housing officer of the patch can now read this case." if shared else "No longer shared."

    return _change(request, code, "share", apply)


@audience(WORKER)
@module("asb")
@require_POST
def staff_close(request: PorchRequest, code: UUID) -> HttpResponse:
    def apply(request: PorchRequest, case: AsbCase, form: CloseForm) -> str:
        data = form.cleaned_data
        changed = services.case_close(
            actor=request.actor, case=case, reporter_view=data["reporter_view"], text=data["text"], request=request
        )
        return "Case closed. The reporter has been told." if changed else "It was already closed."

    return _change(request, code, "close", apply)
