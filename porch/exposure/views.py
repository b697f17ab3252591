"""The Data Protection Officer's reports from the audit log, and the draft ICO report."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from porch.accounts.sudo import sudo_required
from porch.canaries.guard import shows_canary_markers_to_dpo
from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.exposure import access, reports, services
from porch.exposure.forms import ExposureForm, IcoDraftForm, SessionForm, WhoSawForm, WindowForm, default_window
from porch.exposure.ico import ico_draft, incident_window

DPO = staff(StaffRole.DPO, personal_data=True)
PER_PAGE = 50
CSV_PARTS = {"people": services.affected_people_csv, "recipients": services.recipients_csv}


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
    """Whose data reached whom outside the access model, in a window."""
    initial = None
    if code := request.GET.get("incident"):
        try:
            initial = default_window(access.incident_to_report(request.actor, UUID(code)).aware_at)
        except (Http404, ValueError):
            initial = None
    form = _bound(ExposureForm, request, initial)
    found = None
    if form.is_bound and form.is_valid():
        found = services.exposure_report_read(
            actor=request.actor,
            window=form.window,
            module=form.cleaned_data["module"],
            route=form.cleaned_data["route"],
            request=request,
        )
    context = {"form": form, "report": found, "query": request.GET.urlencode()}
    return render(request, "exposure/report.html", context)


@shows_canary_markers_to_dpo
@audience(DPO)
@sudo_required
def report_csv(request: PorchRequest, part: str) -> HttpResponse:
    form = ExposureForm(request.GET)
    if part not in CSV_PARTS:
        raise Http404
    if not form.is_valid():
        return HttpResponseRedirect(f"{reverse('exposure:report')}?{request.GET.urlencode()}")
    found = services.exposure_report_read(
        actor=request.actor,
        window=form.window,
        module=form.cleaned_data["module"],
        route=form.cleaned_data["route"],
        request=request,
        download=True,
    )
    return _csv_response(CSV_PARTS[part](found), f"exposure-{part}")


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
