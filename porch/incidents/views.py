"""Report a privacy problem (from any page, signed in or not; staff logging a call), and
the incident record: status, triage, the DPO's decisions, joining, near misses and drills."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Value, When
from django.forms import Form
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.module import PORTAL
from porch.core.modules import switch_keys, switch_name
from porch.core.roles import StaffRole
from porch.core.routes import REPORTING, audience, staff
from porch.core.types import PorchRequest
from porch.incidents import access, clock, drills, escalation, intake, services
from porch.incidents.forms import (
    AffectedDecisionForm,
    CallLogForm,
    ContainForm,
    DetailsForm,
    DrillStartForm,
    FindForm,
    IcoDecisionForm,
    IcoToldForm,
    JoinForm,
    NearMissForm,
    NearMissReasonForm,
    OwnerForm,
    PrivacyReportForm,
    ReviewForm,
)
from porch.incidents.models import Incident, PrivacyReport
from porch.rollout import access as rollout_access


@audience(REPORTING)
@never_cache  # the form's key is for this browser alone: no shared cache may hand it to another
def report(request: PorchRequest) -> HttpResponse:
    page = request.GET.get("from", "")
    if not url_has_allowed_host_and_scheme(page, {request.get_host()}):
        page = ""
    # Residents, staff, and staff viewing as a resident: their account says who they are.
    signed_in = request.actor.is_authenticated and not request.actor.needs_mfa_setup
    form = PrivacyReportForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4(), "page": page},
        signed_in=signed_in,
    )
    # Never refused, however many come from one place: the service bounds what a flood can
    # open and call (ADR 0008), and a real reporter sharing the address is still heard.
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.privacy_report_create(
            actor=request.actor,
            channel=PrivacyReport.Channel.WEB,
            what_seen=data["what_seen"],
            page=data["page"],
            contact_name=data.get("contact_name", ""),
            contact=data.get("contact", ""),
            idempotency_key=intake.key_for_session(request, data["idempotency_key"]),
            sender=intake.sender_key(request.actor, request.client_ip),
            request=request,
        )
        return render(request, "incidents/reported.html", {"report": saved})
    intake.form_given(request)
    return render(request, "incidents/report.html", {"form": form, "signed_in": signed_in})


@audience(staff())
def log_call(request: PorchRequest) -> HttpResponse:
    """Staff taking a phone call log it here in under a minute."""
    form = CallLogForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.privacy_report_create(
            actor=request.actor,
            channel=PrivacyReport.Channel.PHONE,
            what_seen=data["what_seen"],
            page=data["page"],
            contact_name=data["contact_name"],
            contact=data["contact"],
            idempotency_key=intake.key_for_session(request, data["idempotency_key"]),
            request=request,
        )
        return render(request, "incidents/reported.html", {"report": saved, "logged": True})
    return render(request, "incidents/log_call.html", {"form": form})


DPO = staff(StaffRole.DPO, personal_data=True)
# Any trained staff member; access.py then shows them only the incidents they were called about.
RESPONDER = staff(personal_data=True)


# The list shows each incident's first few reports; the incident page has them all.
LISTED_REPORTS = 3
REPORTS_PER_PAGE = 50
# A flood of joined reports adds a line each: the timeline is shown a page at a time.
TIMELINE_PER_PAGE = 200


@audience(DPO)
def incidents(request: PorchRequest) -> HttpResponse:
    """Open incidents first (with their ICO time left), then closed; near misses apart.
    Incidents joined to another are not listed: their reports are on the other. A reporter's
    reference finds the incident their report is on."""
    find = FindForm(request.GET if "reference" in request.GET else None)
    if find.is_bound and find.is_valid():
        found = access.find_incident_for(request.actor, find.cleaned_data["reference"])
        if found is not None:
            return redirect("incidents:incident", code=found.uuid)
        find.add_error("reference", "There is no privacy problem with that reference")
    visible = (
        access.incidents_for(request.actor)
        .filter(merged_into__isnull=True)
        .select_related("owner")
        .prefetch_related(None)
        .prefetch_related(access.first_reports(LISTED_REPORTS))
        .annotate(report_count=Count("reports"))
    )
    closed_last = Case(When(status=Incident.Status.CLOSED, then=Value(1)), default=Value(0))
    listed = list(
        visible.exclude(kind=Incident.Kind.NEAR_MISS)
        .annotate(closed_last=closed_last)
        .order_by("closed_last", "-aware_at")[:100]
    )
    near_misses = list(visible.filter(kind=Incident.Kind.NEAR_MISS)[:100])
    # Reports hold reporters' contact details and what they saw: reading them is on the record.
    record(actor=request.actor, action="list", object_type="privacy_report", request=request)
    now = timezone.now()
    rows = [(found, clock.ico_clock(found, now=now), clock.ico_overdue(found, now=now)) for found in listed]
    context = {"rows": rows, "near_misses": near_misses, "find": find, "listed_reports": LISTED_REPORTS}
    return render(request, "incidents/incidents.html", context, status=400 if find.errors else 200)


@audience(RESPONDER)
def incident(request: PorchRequest, code: UUID) -> HttpResponse:
    return _incident_page(request, access.get_incident_for(request.actor, code))


def _incident_page(
    request: PorchRequest,
    found: Incident,
    *,
    status: int = 200,
    failed: Form | None = None,
    problems: list[services.Problem] | None = None,
) -> HttpResponse:
    """The incident page. After a refused or invalid action it shows that action's form
    with its errors (the others fresh) and answers 400."""
    actor = request.actor
    # The page shows the reports (reporters' contact details, what they saw): on the record,
    # after a refused action too.
    record(actor=actor, action="view", object_type="incident", object_id=found.uuid, request=request)
    forms = _action_forms(actor, found)
    if failed is not None:
        forms[failed.prefix or ""] = failed
    now = timezone.now()
    merged_into = access.incidents_for(actor).filter(pk=found.merged_into_id).first() if found.merged_into_id else None
    context = {
        "incident": found,
        "may_decide": access.may_decide(actor),
        "failed": failed,
        "problems": problems or [],
        # details_form, owner_form, ico_decision_form...: each action's form by its prefix.
        **{f"{prefix.replace('-', '_')}_form": form for prefix, form in forms.items()},
        "clock": clock.ico_clock(found, now=now),
        "overdue": clock.ico_overdue(found, now=now),
        "merged_into": merged_into,
        "merged_from": list(access.incidents_for(actor).filter(merged_into=found)),
        "timings": drills.drill_timings(found, now=now) if found.is_drill else [],
        "reports": Paginator(
            found.reports.select_related("reported_by__person", "logged_by").order_by("created_at", "id"),
            REPORTS_PER_PAGE,
        ).get_page(request.GET.get("reports")),
        "calls": list(found.notifications.all()),
        "may_acknowledge": not found.is_closed,
        "timeline": Paginator(found.timeline.select_related("actor").order_by("at", "id"), TIMELINE_PER_PAGE).get_page(
            request.GET.get("timeline")
        ),
        "next_statuses": _next_statuses(actor, found),
        "i_own_it": found.owner_id == actor.user_id,
        "my_uuid": _my_uuid(actor, found),
    }
    return render(request, "incidents/incident.html", context, status=status)


def _action_forms(actor: Actor, found: Incident) -> dict[str, Form]:
    """Each action's form, filled in from the record, keyed by its prefix (also its page anchor)."""
    forms: dict[str, Form] = {
        "contain": _contain_form(found),
        "details": DetailsForm(prefix="details", initial={"severity": found.severity, "summary": found.summary}),
        "owner": OwnerForm(
            prefix="owner",
            people=services.owner_candidates(found),
            initial={"owner": found.owner.uuid if found.owner else None},
        ),
    }
    if not access.may_decide(actor):
        return forms
    forms["ico-decision"] = IcoDecisionForm(
        prefix="ico-decision", initial={"decision": found.ico_decision, "reason": found.ico_decision_reason}
    )
    told = timezone.localtime(found.ico_notified_at) if found.ico_notified_at else None
    forms["ico-told"] = IcoToldForm(
        prefix="ico-told",
        initial={
            "told_on": told.date() if told else None,
            "told_time": f"{told:%H:%M}" if told else "",
            "reference": found.ico_reference,
        },
    )
    forms["affected"] = AffectedDecisionForm(
        prefix="affected", initial={"decision": found.affected_decision, "reason": found.affected_decision_reason}
    )
    forms["review"] = ReviewForm(
        prefix="review",
        initial={
            "what_happened": found.review_what_happened,
            "cause": found.review_cause,
            "lessons": found.review_lessons,
            "actions": found.review_actions,
        },
    )
    forms["join"] = JoinForm(prefix="join", incident=found, visible=access.incidents_for(actor))
    forms["near-miss"] = NearMissReasonForm(prefix="near-miss")
    return forms


def _contain_form(found: Incident, data: QueryDict | None = None) -> ContainForm:
    """Nothing chosen, unless a report came from a page of one module that is still on:
    then that module (never the whole portal, which pages such as "My details" belong to)."""
    off = services.switched_off_for_everyone()
    suggested = services.reported_module(found)
    if suggested == PORTAL.key or suggested not in switch_keys():
        suggested = ""
    initial = {"module": suggested} if suggested and suggested not in off else {}
    return ContainForm(
        data, prefix="contain", already_off=off, reported=suggested, drill=found.is_drill, initial=initial
    )


def _next_statuses(actor: Actor, found: Incident) -> list[tuple[str, str]]:
    """The status buttons this person may press: forward only; closing for the DPO."""
    if found.is_closed:
        return []
    here = services.STATUS_ORDER.index(Incident.Status(found.status))
    allowed = (
        [*services.RESPONDER_STATUSES, Incident.Status.CLOSED]
        if access.may_decide(actor)
        else services.RESPONDER_STATUSES
    )
    # Acknowledging has its own button (it stops the calls).
    return [
        (status.value, status.label)
        for status in services.STATUS_ORDER[here + 1 :]
        if status in allowed and status != Incident.Status.ACKNOWLEDGED
    ]


def _my_uuid(actor: Actor, found: Incident) -> str:
    """For "Make me the owner": offered only to someone who may own it."""
    if actor.user_id is None:
        return ""
    me = services.owner_candidates(found).filter(pk=actor.user_id).values_list("uuid", flat=True).first()
    return str(me) if me else ""


def _acted(request: PorchRequest, found: Incident, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("incidents:incident", code=found.uuid)


def _form_action(
    request: PorchRequest,
    code: UUID,
    form_class: type[Form],
    prefix: str,
    act: Callable[..., object],
    done: str,
) -> HttpResponse:
    """The incident page's simple actions: check the form, do it, or show the page again
    with the form's errors (or the service's refusal) in the error summary."""
    actor = request.actor
    found = access.get_incident_for(actor, code)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return _incident_page(request, found, status=400, failed=form)
    try:
        act(actor=actor, incident=found, request=request, **form.cleaned_data)
    except services.Refused as refusal:
        return _refused(request, found, refusal, form)
    return _acted(request, found, done.format(reference=found.reference))


def _refused(
    request: PorchRequest, found: Incident, refusal: services.Refused, form: Form | None = None
) -> HttpResponse:
    return _incident_page(request, found, status=400, failed=form, problems=refusal.problems)


@audience(RESPONDER)
@require_POST
def incident_status(request: PorchRequest, code: UUID) -> HttpResponse:
    """Move the status on. A responder who is not the DPO may not close it (403)."""
    actor = request.actor
    found = access.get_incident_for(actor, code)
    status = request.POST.get("status", "")
    if status not in Incident.Status.values:
        raise Http404
    if status == Incident.Status.CLOSED and not access.may_decide(actor):
        raise PermissionDenied
    try:
        services.incident_set_status(actor=actor, incident=found, status=status, request=request)
    except services.Refused as refusal:
        return _refused(request, found, refusal)
    return _acted(request, found, f"{found.reference}: {Incident.Status(status).label.lower()}.")


@audience(RESPONDER)
@require_POST
def incident_contain(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    form = _contain_form(found, request.POST)
    if not form.is_valid():
        return _incident_page(request, found, status=400, failed=form)
    module = _module_to_switch_off(actor, form.cleaned_data["module"])
    try:
        services.incident_contain(actor=actor, incident=found, module=module, request=request)
    except services.Refused as refusal:
        return _refused(request, found, refusal, form)
    if found.is_drill:
        return _acted(request, found, f"Drill: {switch_name(module)} would have been switched off. Nothing was.")
    return _acted(request, found, f"{switch_name(module)}: switched off for everyone.")


def _module_to_switch_off(actor: Actor, module: str) -> str:
    """The DPO switches through rollout's own accessor. Someone called about the incident
    may switch a module off from it too (never on): the call is their authority."""
    if access.may_decide(actor):
        return rollout_access.get_module_for(actor, module)
    if module not in switch_keys():
        raise Http404
    return module


@audience(RESPONDER)
@require_POST
def incident_details(request: PorchRequest, code: UUID) -> HttpResponse:
    return _form_action(
        request, code, DetailsForm, "details", services.incident_describe, "Severity and summary saved."
    )


@audience(RESPONDER)
@require_POST
def incident_owner(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    form = OwnerForm(request.POST, prefix="owner", people=services.owner_candidates(found))
    if not form.is_valid():
        return _incident_page(request, found, status=400, failed=form)
    try:
        services.incident_set_owner(actor=actor, incident=found, owner=form.cleaned_data["owner"], request=request)
    except services.Refused as refusal:
        return _refused(request, found, refusal, form)
    return _acted(request, found, f"{services.display_name(form.cleaned_data['owner'])} owns {found.reference}.")


@audience(DPO)
@require_POST
def incident_ico(request: PorchRequest, code: UUID) -> HttpResponse:
    return _form_action(
        request, code, IcoDecisionForm, "ico-decision", services.incident_decide_ico, "Decision about the ICO recorded."
    )


@audience(DPO)
@require_POST
def incident_ico_told(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    found = access.get_incident_for(actor, code)
    form = IcoToldForm(request.POST, prefix="ico-told")
    if not form.is_valid():
        return _incident_page(request, found, status=400, failed=form)
    data = form.cleaned_data
    try:
        services.incident_record_ico_told(
            actor=actor, incident=found, told_at=data["told_at"], reference=data["reference"], request=request
        )
    except services.Refused as refusal:
        return _refused(request, found, refusal, form)
    return _acted(request, found, "Recorded that the ICO was told.")


@audience(DPO)
@require_POST
def incident_affected(request: PorchRequest, code: UUID) -> HttpResponse:
    done = "Decision about telling the people affected recorded."
    return _form_action(request, code, AffectedDecisionForm, "affected", services.incident_decide_affected, done)


@audience(DPO)
@require_POST
def incident_review(request: PorchRequest, code: UUID) -> HttpResponse:
    return _form_action(request, code, ReviewForm, "review", services.incident_review, "Post-incident review saved.")


@audience(DPO)
@require_POST
def incident_join(request: PorchRequest, code: UUID) -> HttpResponse:
    """Join: "this is the same problem as ...". The other incident must be one the DPO can see."""
    actor = request.actor
    found = access.get_incident_for(actor, code)
    form = JoinForm(request.POST, prefix="join", incident=found, visible=access.incidents_for(actor))
    if not form.is_valid():
        return _incident_page(request, found, status=400, failed=form)
    into = form.cleaned_data["reference"]
    try:
        services.incident_join(actor=actor, incident=found, into=into, request=request)
    except services.Refused as refusal:
        return _refused(request, found, refusal, form)
    messages.success(request, f"{found.reference} is joined to this incident. Its reports are here now.")
    return redirect("incidents:incident", code=into.uuid)


@audience(DPO)
@require_POST
def incident_near_miss(request: PorchRequest, code: UUID) -> HttpResponse:
    """Reclassify as a near miss, with why the ICO is not being told."""
    return _form_action(
        request,
        code,
        NearMissReasonForm,
        "near-miss",
        services.incident_reclassify_near_miss,
        "{reference} is now recorded as a near miss.",
    )


@audience(DPO)
def near_miss_new(request: PorchRequest) -> HttpResponse:
    form = NearMissForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        recorded = services.near_miss_record(actor=request.actor, request=request, **form.cleaned_data)
        return _acted(request, recorded, f"Near miss recorded: {recorded.reference}.")
    return render(request, "incidents/near_miss_new.html", {"form": form}, status=400 if form.errors else 200)


@audience(DPO)
def drills_list(request: PorchRequest) -> HttpResponse:
    """Every drill, with how long each step took against its goal."""
    listed = list(
        drills.with_first_notification(access.incidents_for(request.actor).filter(kind=Incident.Kind.DRILL))[:100]
    )
    now = timezone.now()
    rows = [(drill, drills.drill_timings(drill, now=now)) for drill in listed]
    return render(request, "incidents/drills.html", {"rows": rows})


@audience(DPO)
def drill_start(request: PorchRequest) -> HttpResponse:
    """A confirmation page first: a drill calls the real people on call."""
    form = DrillStartForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        started = services.drill_start(actor=request.actor, request=request, **form.cleaned_data)
        return _acted(request, started, f"Drill {started.reference} started. The people on call are being called now.")
    context = {
        "form": form,
        "ladder": escalation.ladder_at(timezone.now()),
        "webhook": bool(settings.INCIDENT_WEBHOOK_URL),
        "wait_minutes": settings.ESCALATION_WAIT_MINUTES,
    }
    return render(request, "incidents/drill_start.html", context)
