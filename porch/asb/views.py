"""The reporter's pages: their reports, making one (the emergency number first), one report's
page (what they told us, their diary, the updates the ASB team published to them) and adding a
diary entry. Nobody else's report is ever here: a case is its reporter's alone."""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from porch.asb import access, services
from porch.asb.files import evidence_response
from porch.asb.forms import DiaryForm, EvidenceForm, ReportForm
from porch.core import kept_files
from porch.core.actions import Action
from porch.core.kept_files import KeptFile
from porch.core.media_fields import max_media_bytes
from porch.core.paging import page_of
from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.core.upload_handlers import upload_cap
from porch.core.uploads import CheckedFile

PAGE_SIZE = 25


@audience(RESIDENT)
@module("asb")
def report_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    mine = access.cases_for_resident(actor).order_by("-reported_at", "-id")
    page = page_of(mine, request.GET, size=PAGE_SIZE, by="reported_at")
    cases = list(page.items)
    services.cases_seen(actor, cases, "list", request)
    may_report = bool(access.homes_to_report_from(actor))
    return render(request, "asb/list.html", {"cases": cases, "page": page, "may_report": may_report})


@audience(RESIDENT)
@module("asb")
@upload_cap(max_media_bytes)
@require_http_methods(["GET", "POST"])
def report_new(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    homes = access.homes_to_report_from(actor)
    if not homes:
        return render(request, "asb/no_home.html", status=403)
    form = ReportForm(request.POST or None, request.FILES or None, homes=homes, kept=_kept(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.NewReport(
            tenancy=data["home"],
            what_happened=data["what_happened"],
            happened_when=data["happened_when"],
            where=data["where"],
            where_detail=data["where_detail"],
            who_involved=data["who_involved"],
            at_risk_now=data["at_risk_now"],
        )
        case = services.report_make(actor=actor, new=new, files=_files(request, form), key=data["key"], request=request)
        kept_files.forget(request, data["key"])
        return redirect("asb:detail", code=case.uuid)
    if request.method == "POST":
        _keep_for_next_time(request, form)
    return render(request, "asb/new.html", {"form": form})


@audience(RESIDENT)
@module("asb")
def report_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    case = access.get_case_for(actor, code)
    services.cases_seen(actor, [case], "view", request)
    context = {
        "case": case,
        "entries": list(access.published_entries(case)),
        "files": access.own_evidence(actor, case),
        "may_add": access.may_change(actor, case) and case.is_open,
    }
    return render(request, "asb/detail.html", context)


@audience(RESIDENT)
@module("asb")
def report_file(request: PorchRequest, code: UUID) -> FileResponse:
    """A photo or recording the reporter sent themselves, downloaded, audited."""
    evidence = access.get_own_evidence_for(request.actor, code)
    services.evidence_seen(request.actor, evidence.case, evidence, request)
    return evidence_response(evidence)


@audience(RESIDENT)
@module("asb")
@upload_cap(max_media_bytes)
@require_http_methods(["GET", "POST"])
def report_diary(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    case = access.get_case_for(actor, code, action=Action.CHANGE)
    if not case.is_open:
        return redirect("asb:detail", code=case.uuid)
    form = DiaryForm(request.POST or None, request.FILES or None, kept=_kept(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.diary_add(
            actor=actor,
            case=case,
            text=data["text"],
            happened_when=data["happened_when"],
            files=_files(request, form),
            key=data["key"],
            request=request,
        )
        kept_files.forget(request, data["key"])
        return redirect("asb:detail", code=case.uuid)
    if request.method == "POST":
        _keep_for_next_time(request, form)
    services.cases_seen(actor, [case], "view", request)
    return render(request, "asb/diary.html", {"case": case, "form": form})


# --- Files kept when a form comes back for another answer (porch.core.kept_files) ------------


def _kept(request: PorchRequest) -> list[KeptFile]:
    return kept_files.kept_for(request, request.POST.get("key")) if request.method == "POST" else []


def _files(request: PorchRequest, form: EvidenceForm) -> list[CheckedFile]:
    drop = bool(form.cleaned_data.get("drop_kept"))
    return kept_files.files_to_send(request, form.cleaned_data["key"], drop=drop, now=form.files_checked)


def _keep_for_next_time(request: PorchRequest, form: EvidenceForm) -> None:
    fields = ("photos", "recordings")
    checked: dict[str, list[CheckedFile]] = {
        field: form.cleaned_data[field] for field in fields if field in form.cleaned_data
    }
    drop = bool(form.cleaned_data.get("drop_kept"))
    form.show_kept(kept_files.keep_for_next_time(request, request.POST.get("key"), drop=drop, checked=checked))
