"""Report a privacy problem: from any page, signed in or not; and staff logging a call."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from porch.accounts.roles import StaffRole
from porch.audit.services import record
from porch.core import ratelimit
from porch.core.routes import PUBLIC, audience, staff
from porch.core.types import PorchRequest
from porch.incidents import access, services
from porch.incidents.forms import CallLogForm, PrivacyReportForm
from porch.incidents.models import Incident, PrivacyReport
from porch.rollout import access as rollout_access
from porch.rollout.models import Module


@audience(PUBLIC)
def report(request: PorchRequest) -> HttpResponse:
    page = request.GET.get("from", "")
    if not url_has_allowed_host_and_scheme(page, {request.get_host()}):
        page = ""
    form = PrivacyReportForm(
        request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4(), "page": page}
    )
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.attempt("privacy_report", request.client_ip)
        if wait:
            form.add_error(None, f"{ratelimit.pause_message(wait)} If it is urgent, call us.")
        else:
            saved = services.privacy_report_create(
                actor=request.actor, channel=PrivacyReport.Channel.WEB, request=request, **form.cleaned_data
            )
            return render(request, "incidents/reported.html", {"report": saved})
    return render(request, "incidents/report.html", {"form": form})


@audience(staff())
def log_call(request: PorchRequest) -> HttpResponse:
    """Staff taking a phone call log it here in under a minute."""
    form = CallLogForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        saved = services.privacy_report_create(
            actor=request.actor, channel=PrivacyReport.Channel.PHONE, request=request, **form.cleaned_data
        )
        return render(request, "incidents/reported.html", {"report": saved, "logged": True})
    return render(request, "incidents/log_call.html", {"form": form})


DPO = staff(StaffRole.DPO, personal_data=True)


@audience(DPO)
def incidents(request: PorchRequest) -> HttpResponse:
    listed = list(access.incidents_for(request.actor)[:100])
    # Reports hold reporters' contact details and what they saw: reading them is on the record.
    record(actor=request.actor, action="list", object_type="privacy_report", request=request)
    return render(request, "incidents/incidents.html", {"incidents": listed})


@audience(DPO)
def incident(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    record(actor=actor, action="view", object_type="incident", object_id=found.uuid, request=request)
    context = {
        "incident": found,
        "reports": list(found.reports.all()),
        "timeline": list(found.timeline.select_related("actor")),
        "statuses": Incident.Status.choices,
        "modules": Module.choices,
    }
    return render(request, "incidents/incident.html", context)


@audience(DPO)
@require_POST
def incident_status(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    status = request.POST.get("status", "")
    if status not in Incident.Status.values:
        raise Http404
    services.incident_set_status(actor=actor, incident=found, status=status, request=request)
    return redirect("incidents:incident", code=found.uuid)


@audience(DPO)
@require_POST
def incident_contain(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    module = rollout_access.get_module_for(actor, request.POST.get("module", ""))
    services.incident_contain(actor=actor, incident=found, module=module, request=request)
    messages.success(request, f"{Module(module).label}: switched off for everyone.")
    return redirect("incidents:incident", code=found.uuid)
