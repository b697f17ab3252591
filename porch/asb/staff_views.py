"""The ASB team's pages: the cases, a case's page with its whole timeline (witness statements and
internal notes included), its evidence photos, and one POST route for each change.

Reading: ASB officers and the DPO every case; housing officers the cases an ASB officer shared
with their patch, read only and without the photos. Working a case: ASB officers alone (the DPO
and housing officers: 403). Everybody else: 404 for a case, 403 for the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.asb import access, services
from porch.asb.forms import CloseForm, EntryForm, RiskForm, ShareForm
from porch.asb.models import READERS as CASE_READERS
from porch.asb.models import WORKERS, AsbCase
from porch.core.actions import Action
from porch.core.forms import GovukForm
from porch.core.roles import PATCH_SCOPED
from porch.core.routes import audience, module, staff
from porch.core.types import PorchRequest

READERS = staff(*sorted(CASE_READERS | PATCH_SCOPED), personal_data=True)
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
    actor = request.actor
    cases = list(access.cases_for_staff(actor)[:PAGE_SIZE])
    services.cases_seen(actor, cases, "list", request)
    return render(request, "asb/staff/list.html", {"cases": cases})


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
    context: dict[str, Any] = {
        "case": case,
        "entries": list(access.all_entries(case)),
        "evidence": list(case.evidence.all()) if access.may_read_evidence(actor) else [],
        "forms": forms,
        "failed": bound[1] if bound else None,
    }
    return render(request, "asb/staff/detail.html", context)


@audience(EVIDENCE_READERS)
@module("asb")
def staff_evidence(request: PorchRequest, code: UUID) -> FileResponse:
    """A photo, downloaded (never shown inline), its type its own (re-encoded), audited."""
    evidence = access.get_evidence_for(request.actor, code)
    case = evidence.case
    services.evidence_seen(request.actor, case, evidence, request)
    extension = evidence.content_type.rsplit("/", 1)[-1]
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"asb-{case.reference}.{extension}",
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
