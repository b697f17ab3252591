"""Report a privacy problem: from any page, signed in or not; and staff logging a call."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from porch.accounts.roles import StaffRole
from porch.audit.services import record
from porch.core import ratelimit
from porch.core.routes import PUBLIC, audience, staff
from porch.core.types import PorchRequest
from porch.incidents import access, services
from porch.incidents.forms import CallLogForm, PrivacyReportForm
from porch.incidents.models import PrivacyReport


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


@audience(staff(StaffRole.DPO, personal_data=True))
def incidents(request: PorchRequest) -> HttpResponse:
    listed = list(access.incidents_for(request.actor)[:100])
    # Reports hold reporters' contact details and what they saw: reading them is on the record.
    record(actor=request.actor, action="list", object_type="privacy_report", request=request)
    return render(request, "incidents/incidents.html", {"incidents": listed})
