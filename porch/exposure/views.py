"""The Data Protection Officer's reports from the audit log, and the draft ICO report."""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID, uuid4

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from porch.accounts.sudo import sudo_required
from porch.canaries.guard import shows_canary_markers_to_dpo
from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.exposure import access, reports, runs, services
from porch.exposure.forms import ExposureForm, IcoDraftForm, SessionForm, WhoSawForm, WindowForm, default_window
from porch.exposure.ico import ico_draft, incident_window
from porch.exposure.models import KEEP_DAYS, ExposureRun

DPO = staff(StaffRole.DPO, personal_data=True)
PER_PAGE = 50
# The spreadsheets a finished run keeps, by the part of the address that names them.
CSV_PARTS = {"people": "people_csv", "recipients": "recipients_csv"}
# How often the page of a report being worked out refreshes itself, once asked to.
REFRESH_SECONDS = 5


def _bound(form_class: type[WindowForm], request: PorchRequest, initial: dict[str, Any] | None = None) -> Any:
    """A form bound to the query string once it has been submitted; until then, the defaults."""
    data = request.GET if "start" in request.GET else None
    return form_class(data, initial=initial or default_window())


def _query_without_page(request: PorchRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _window_query(form: WindowForm) -> str:
    """The same period, for links from one report to another."""
    moments = {
        name: timezone.localtime(form.cleaned_data[name]).strftime("%Y-%m-%dT%H:%M") for name in ("start", "end")
    }
    return urlencode(moments)


def _csv_response(body: str, name: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


@shows_canary_markers_to_dpo
@audience(DPO)
def report(request: PorchRequest) -> HttpResponse:
    """Ask for the report of whose data reached whom outside the access model in a window:
    the background worker works it out (ADR 0015). The reports asked for lately are listed."""
    if request.method == "POST":
        form = ExposureForm(request.POST)
        if form.is_valid():
            run = runs.run_request(
                actor=request.actor,
                window=form.window,
                module=form.cleaned_data["module"],
                route=form.cleaned_data["route"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
            return redirect("exposure:run", code=run.uuid)
    else:
        form = ExposureForm(initial=_report_initial(request))
    context = {"form": form, "runs": runs.runs_recent(access.runs_for(request.actor)), "keep_days": KEEP_DAYS}
    return render(request, "exposure/report.html", context)


def _report_initial(request: PorchRequest) -> dict[str, Any]:
    """The last 7 days; for an incident, from 7 days before it was first reported; or the
    period and narrowing in the address (a link from elsewhere), when they make sense."""
    initial: dict[str, Any] = default_window()
    if code := request.GET.get("incident"):
        with contextlib.suppress(Http404, ValueError):
            initial = default_window(access.incident_to_report(request.actor, UUID(code)).aware_at)
    asked = WindowForm(request.GET) if "start" in request.GET else None
    if asked is not None and asked.is_valid():
        initial = {"start": timezone.localtime(asked.window.start), "end": timezone.localtime(asked.window.end)}
        initial |= {name: request.GET.get(name, "") for name in ("module", "route")}
    return initial | {"idempotency_key": uuid4()}


@shows_canary_markers_to_dpo
@audience(DPO)
def run(request: PorchRequest, code: UUID) -> HttpResponse:
    """One report asked for: how far the worker has got (a link to refresh the page, and one to
    have it refresh itself until the report is ready), why it failed, or, when it is ready, the
    report (audited)."""
    found = access.get_run_for(request.actor, code)
    context: dict[str, Any] = {
        "run": found,
        "narrowing": runs.narrowing(found),
        # Only when asked for: a page that reloads by itself unasked fails WCAG 2.2.1.
        "following": found.is_waiting and not found.stalled and request.GET.get("refresh") == "on",
        "refresh_seconds": REFRESH_SECONDS,
        "keep_days": KEEP_DAYS,
    }
    if found.status == ExposureRun.Status.DONE:
        shown = runs.run_read(actor=request.actor, run=found, request=request)
        context |= {
            "shown": shown,
            "first_seen": shown.moment("first_seen"),
            "last_seen": shown.moment("last_seen"),
            "affected_rows": shown.rows("affected_rows"),
            "receipt_rows": shown.rows("receipt_rows"),
            "shown_rows": runs.SHOWN,
        }
    return render(request, "exposure/run.html", context)


@shows_canary_markers_to_dpo
@audience(DPO)
@sudo_required
def run_csv(request: PorchRequest, code: UUID, part: str) -> HttpResponse:
    found = access.get_run_for(request.actor, code)
    if part not in CSV_PARTS:
        raise Http404
    if found.status != ExposureRun.Status.DONE:
        return redirect("exposure:run", code=found.uuid)
    runs.run_read(actor=request.actor, run=found, request=request, download=True)
    return _csv_response(getattr(found, CSV_PARTS[part]), f"exposure-{part}")


@audience(DPO)
@require_POST
def run_retry(request: PorchRequest, code: UUID) -> HttpResponse:
    found = access.get_run_for(request.actor, code)
    runs.run_retry(actor=request.actor, run=found)
    return redirect("exposure:run", code=found.uuid)


@shows_canary_markers_to_dpo
@audience(DPO)
def who_saw(request: PorchRequest) -> HttpResponse:
    """Who was shown this person's data between two moments."""
    form = _bound(WhoSawForm, request)
    context: dict[str, Any] = {"form": form, "query": _query_without_page(request)}
    if form.is_bound and form.is_valid():
        person = _person_or_error(request, form)
        if person is not None:
            summary, events = reports.who_saw(actor=request.actor, person=person, window=form.window)
            services.who_saw_read(
                actor=request.actor,
                person=person,
                window=form.window,
                recipients=[line.recipient for line in summary],
                request=request,
            )
            page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
            context |= {"person": person, "summary": summary, "page": page, "window_query": _window_query(form)}
    return render(request, "exposure/who_saw.html", context)


@shows_canary_markers_to_dpo
@audience(DPO)
@sudo_required
def who_saw_csv(request: PorchRequest) -> HttpResponse:
    form = WhoSawForm(request.GET)
    person = _person_or_error(request, form) if form.is_valid() else None
    if person is None:
        return HttpResponseRedirect(f"{reverse('exposure:who_saw')}?{request.GET.urlencode()}")
    summary, events = reports.who_saw(actor=request.actor, person=person, window=form.window)
    services.who_saw_read(
        actor=request.actor,
        person=person,
        window=form.window,
        recipients=[line.recipient for line in summary],
        request=request,
        download=True,
    )
    return _csv_response(services.events_csv(events.iterator(chunk_size=2000)), "who-saw")


def _person_or_error(request: PorchRequest, form: WhoSawForm) -> Any:
    try:
        return access.person_by_reference(request.actor, form.cleaned_data["person"])
    except Http404:
        form.add_error("person", "No person has that housing reference or ID")
        return None


@shows_canary_markers_to_dpo
@audience(DPO)
def session_seen(request: PorchRequest) -> HttpResponse:
    """Everything one browser session was shown."""
    form = _bound(SessionForm, request)
    context: dict[str, Any] = {"form": form, "query": _query_without_page(request)}
    if form.is_bound and form.is_valid():
        session_ref = _session_or_error(request, form)
        if session_ref:
            people, events = reports.session_seen(actor=request.actor, session_ref=session_ref, window=form.window)
            page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
            shown = {person.id for person, _ in people if person} | {
                e.actor.person_id for e in page.object_list if e.actor and e.actor.person_id
            }
            services.session_seen_read(
                actor=request.actor, session_ref=session_ref, window=form.window, subject_ids=shown, request=request
            )
            context |= {
                "session_ref": session_ref,
                "people": people,
                "page": page,
                "window_query": _window_query(form),
            }
    return render(request, "exposure/session.html", context)


@shows_canary_markers_to_dpo
@audience(DPO)
@sudo_required
def session_seen_csv(request: PorchRequest) -> HttpResponse:
    form = SessionForm(request.GET)
    session_ref = _session_or_error(request, form) if form.is_valid() else ""
    if not session_ref:
        return HttpResponseRedirect(f"{reverse('exposure:session')}?{request.GET.urlencode()}")
    people, events = reports.session_seen(actor=request.actor, session_ref=session_ref, window=form.window)
    services.session_seen_read(
        actor=request.actor,
        session_ref=session_ref,
        window=form.window,
        subject_ids={person.id for person, _ in people if person},
        request=request,
        download=True,
    )
    return _csv_response(services.events_csv(events.iterator(chunk_size=2000)), "session")


def _session_or_error(request: PorchRequest, form: SessionForm) -> str:
    reference = str(form.cleaned_data["reference"])
    if not form.is_request_id:
        return reference
    found = reports.session_of_request(actor=request.actor, request_id=reference, window=form.window)
    if not found:
        form.add_error("reference", "No page with that request ID was recorded in a session in this period")
    return found


@shows_canary_markers_to_dpo
@audience(DPO)
def ico_report(request: PorchRequest, code: UUID) -> HttpResponse:
    """Generate, edit and save the draft report to the ICO for an incident."""
    actor = request.actor
    incident = access.incident_to_report(actor, code)
    window_form = _bound(WindowForm, request, initial=_incident_initial(incident))
    if request.method == "POST":
        form = IcoDraftForm(request.POST)
        if form.is_valid():
            services.ico_report_save(actor=actor, incident=incident, draft=form.cleaned_data["draft"], request=request)
            messages.success(request, "The draft report has been saved.")
            return redirect("exposure:ico_report", code=incident.uuid)
    else:
        regenerate = window_form.is_bound and window_form.is_valid()
        draft = incident.ico_report_draft
        if regenerate or not draft:
            window = window_form.window if regenerate else incident_window(incident)
            draft = ico_draft(actor=actor, incident=incident, window=window)
        form = IcoDraftForm(initial={"draft": draft})
        services.ico_report_viewed(actor=actor, incident=incident, request=request)
    context = {"incident": incident, "form": form, "window_form": window_form}
    return render(request, "exposure/ico_report.html", context)


def _incident_initial(incident: Any) -> dict[str, Any]:
    window = incident_window(incident)
    return {"start": timezone.localtime(window.start), "end": timezone.localtime(window.end)}
