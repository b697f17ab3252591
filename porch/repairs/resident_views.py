"""The resident's repairs: reporting one (a question a page, answers kept in the session by
journey.py), the list of their repairs, a repair's page, its photos, and changing or cancelling
its appointment or the repair itself.

Reporting is for the account holders of a home (tenants and homeowners: journey.py says why);
every resident may read the list and the shared-area repairs of where they live. Staff viewing
as a resident may read these pages; the audience refuses them every POST, and access.py every
change (Action.CHANGE)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.routes import RESIDENT, audience, may_open, module, resident_with
from porch.core.types import PorchRequest
from porch.housing.models import Membership
from porch.repairs import access, booking, journey, resident_reads, services
from porch.repairs.categories import AREA_BY_CODE
from porch.repairs.journey import Journey
from porch.repairs.photos import photo_response
from porch.repairs.resident_forms import (
    AccessForm,
    AreaForm,
    CancelForm,
    CategoryForm,
    CheckForm,
    ContactForm,
    DescriptionForm,
    EmergencyForm,
    HomeForm,
    PhotoForm,
    SlotForm,
    WhereForm,
    emergency_phone,
)

REPORTERS = resident_with(*Membership.ACCOUNT_ROLES)
PAGE_SIZE = 20
QUESTION = "repairs/resident/question.html"
TOO_LATE = (
    "Your appointment is less than {hours} hours away, so it can no longer be changed or cancelled here. "
    "Please phone us on {phone}."
)


# --- The journey's plumbing -------------------------------------------------------------------


def _open(request: PorchRequest, step: str) -> Journey | HttpResponse:
    """The journey, if this step may be shown now; otherwise where the resident should be."""
    current = journey.load(request)
    if current is None or current.submitted:
        return redirect("repairs:report")
    journey.settle(current, request.actor)
    journey.save(request, current)
    if not journey.may_show(step, current, request.actor):
        return redirect(journey.next_step(current, request.actor))
    return current


def _onward(request: PorchRequest, current: Journey, **answers: Any) -> HttpResponse:
    current.answer(**answers)
    journey.save(request, current)
    return redirect(journey.next_step(current, request.actor))


def _ask(
    request: PorchRequest, current: Journey, step: str, form: Any, template: str = QUESTION, **extra: Any
) -> HttpResponse:
    back = journey.previous_step(step, current, request.actor)
    context = {"form": form, "back": reverse(back) if back else reverse("repairs:list"), **extra}
    return render(request, template, context)


def _posted(request: PorchRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- The questions ----------------------------------------------------------------------------


@audience(REPORTERS)
@module("repairs")
def report(request: PorchRequest) -> HttpResponse:
    """The first question: is it an emergency? Opening it afresh starts a new report."""
    current = journey.load(request)
    if current is None or current.submitted or (request.method == "GET" and "new" in request.GET):
        current = journey.start(request)
    form = EmergencyForm(_posted(request), initial={"emergency": current["emergency"]})
    if form.is_valid():
        return _onward(request, current, emergency=form.cleaned_data["emergency"])
    return _ask(request, current, "repairs:report", form, "repairs/resident/emergency_question.html")


@audience(REPORTERS)
@module("repairs")
def report_emergency(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_emergency")
    if isinstance(current, HttpResponse):
        return current
    if request.method == "POST":
        return _onward(request, current, record_emergency=True)
    context = {"emergency": current.emergency, "phone": emergency_phone()}
    return _ask(request, current, "repairs:report_emergency", None, "repairs/resident/emergency.html", **context)


@audience(REPORTERS)
@module("repairs")
def report_home(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_home")
    if isinstance(current, HttpResponse):
        return current
    form = HomeForm(_posted(request), initial={"home": current["home"]}, homes=journey.home_labels(request.actor))
    if form.is_valid():
        return _onward(request, current, home=form.cleaned_data["home"])
    return _ask(request, current, "repairs:report_home", form)


@audience(REPORTERS)
@module("repairs")
def report_where(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_where")
    if isinstance(current, HttpResponse):
        return current
    home = journey.chosen_home(current, request.actor)
    assert home is not None  # may_show: the home is answered and still theirs
    form = WhereForm(_posted(request), initial={"where": current["where"]}, places=journey.places_for(home))
    if form.is_valid():
        return _onward(request, current, where=form.cleaned_data["where"])
    return _ask(request, current, "repairs:report_where", form)


@audience(REPORTERS)
@module("repairs")
def report_area(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_area")
    if isinstance(current, HttpResponse):
        return current
    form = AreaForm(_posted(request), initial={"area": current["area"]})
    if form.is_valid():
        return _onward(request, current, area=form.cleaned_data["area"])
    return _ask(request, current, "repairs:report_area", form)


@audience(REPORTERS)
@module("repairs")
def report_category(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_category")
    if isinstance(current, HttpResponse):
        return current
    form = CategoryForm(_posted(request), initial={"category": current["category"]}, area=current["area"])
    if form.is_valid():
        return _onward(request, current, category=form.cleaned_data["category"])
    caption = AREA_BY_CODE[current["area"]].label
    return _ask(request, current, "repairs:report_category", form, caption=caption)


@audience(REPORTERS)
@module("repairs")
def report_description(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_description")
    if isinstance(current, HttpResponse):
        return current
    form = DescriptionForm(_posted(request), initial={"description": current["description"]})
    if form.is_valid():
        return _onward(request, current, description=form.cleaned_data["description"])
    warning = current.is_shared_area
    return _ask(request, current, "repairs:report_description", form, shared_area_warning=warning)


@audience(REPORTERS)
@module("repairs")
def report_photos(request: PorchRequest) -> HttpResponse:
    """Add photos one at a time (each stored at once, so a later error loses none), remove one,
    or continue."""
    current = _open(request, "repairs:report_photos")
    if isinstance(current, HttpResponse):
        return current
    form = PhotoForm(already=len(current["photos"]))
    if request.method == "POST" and "remove" in request.POST:
        journey.remove_photo(current, _index(request.POST["remove"]))
        journey.save(request, current)
        return redirect("repairs:report_photos")
    if request.method == "POST" and "continue" in request.POST:
        return _onward(request, current, photos_done=True)
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES, already=len(current["photos"]))
        if form.is_valid() and form.checked is not None:
            journey.keep_photo(current, form.checked)
            journey.save(request, current)
            messages.success(request, "Photo added.")
            return redirect("repairs:report_photos")
    context = {"photos": current["photos"], "room": len(current["photos"]) < journey.MAX_PHOTOS}
    return _ask(request, current, "repairs:report_photos", form, "repairs/resident/photos.html", **context)


def _index(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 3 else -1


@audience(REPORTERS)
@module("repairs")
def report_access(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_access")
    if isinstance(current, HttpResponse):
        return current
    names = ("availability", "access_notes", "needs_extra_help")
    form = AccessForm(_posted(request), initial={name: current[name] for name in names})
    if form.is_valid():
        return _onward(request, current, access_done=True, **{name: form.cleaned_data[name] for name in names})
    return _ask(request, current, "repairs:report_access", form, "repairs/resident/access.html")


@audience(REPORTERS)
@module("repairs")
def report_contact(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_contact")
    if isinstance(current, HttpResponse):
        return current
    names = ("contact_name", "contact_phone", "notify_by")
    initial = {name: current[name] for name in names}
    if request.method == "GET" and not current["notify_by"]:
        initial.update(journey.contact_prefill(request.actor, request))
    form = ContactForm(_posted(request), initial=initial)
    if form.is_valid():
        return _onward(request, current, **{name: form.cleaned_data[name] for name in names})
    return _ask(request, current, "repairs:report_contact", form, "repairs/resident/contact.html")


@audience(REPORTERS)
@module("repairs")
def report_slot(request: PorchRequest) -> HttpResponse:
    current = _open(request, "repairs:report_slot")
    if isinstance(current, HttpResponse):
        return current
    slots = journey.slot_choices(current, request.actor)
    form = SlotForm(_posted(request), initial={"slot": current["slot"]}, slots=slots)
    if form.is_valid():
        return _onward(request, current, slot=form.cleaned_data["slot"])
    return _ask(request, current, "repairs:report_slot", form, "repairs/resident/slot.html", slots=slots)


@audience(REPORTERS)
@module("repairs")
def report_check(request: PorchRequest) -> HttpResponse:
    """Check your answers, and submit: once, whatever is pressed twice."""
    actor = request.actor
    current = journey.load(request)
    form = CheckForm(_posted(request))
    # A second submit of a report already made: its page, not a second repair.
    if (
        current is not None
        and current.submitted
        and form.is_valid()
        and form.cleaned_data["idempotency_key"] == current.key
    ):
        return redirect("repairs:reported", code=current["repair"])
    opened = _open(request, "repairs:report_check")
    if isinstance(opened, HttpResponse):
        return opened
    if form.is_valid():
        if form.cleaned_data["idempotency_key"] != opened.key:
            messages.warning(request, "Your answers changed in another window. Check them again, then send.")
            return redirect("repairs:report_check")
        try:
            submitted = journey.submit(actor=actor, journey=opened, request=request)
        except journey.Stale:
            return redirect("repairs:report")
        if submitted.slot_taken:
            messages.warning(
                request,
                "Your repair has been reported, but the appointment you chose was booked by someone else just "
                "before you. Choose another time below.",
            )
            return redirect("repairs:appointment_change", code=submitted.repair.uuid)
        return redirect("repairs:reported", code=submitted.repair.uuid)
    context = {
        "answers": _answers(opened, actor),
        "key": opened.key,
        "photos": opened["photos"],
    }
    return _ask(request, opened, "repairs:report_check", form, "repairs/resident/check.html", **context)


def _answers(current: Journey, actor: Any) -> list[tuple[str, str, str]]:
    """(question, answer, where to change it) for the check-your-answers page."""
    category = current.category
    rows: list[tuple[str, str, str]] = []
    if current.is_emergency and current.emergency is not None:
        rows.append(("Emergency", current.emergency.label, "repairs:report"))
    if len(journey.homes_for(actor)) > 1:
        rows.append(("Home", journey.home_labels(actor).get(current["home"], ""), "repairs:report_home"))
    home = journey.chosen_home(current, actor)
    if home is not None:
        rows.append(("Where", journey.places_for(home)[current["where"]], "repairs:report_where"))
    if category is not None and not current.is_emergency:
        rows.append(("What", f"{AREA_BY_CODE[category.area].label}: {category.label}", "repairs:report_category"))
    rows.append(("Description", current["description"], "repairs:report_description"))
    rows.append(("Photos", f"{len(current['photos'])} added" if current["photos"] else "None", "repairs:report_photos"))
    if current["where"] == journey.HOME:
        rows.append(("When we can come in", current["availability"], "repairs:report_access"))
        rows.append(("Getting in", current["access_notes"] or "Nothing added", "repairs:report_access"))
        help_words = "Yes" if current["needs_extra_help"] else "No"
        rows.append(("Someone needs extra help", help_words, "repairs:report_access"))
    rows.append(("Contact", f"{current['contact_name']}, {current['contact_phone']}", "repairs:report_contact"))
    rows.append(("Updates", _notify_words(current["notify_by"]), "repairs:report_contact"))
    if journey.may_show("repairs:report_slot", current, actor):
        slot = journey.chosen_slot(current, actor)
        rows.append(("Appointment", str(slot) if slot else "We will contact you to arrange it", "repairs:report_slot"))
    return rows


def _notify_words(notify_by: str) -> str:
    return {"email": "By email", "sms": "By text message"}.get(notify_by, "No updates")


# --- Reading repairs -----------------------------------------------------------------------


@audience(REPORTERS)
@module("repairs")
def reported(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code)
    services.record_reads(actor, "view", [repair], request)
    context = {
        "repair": repair,
        "clocks": resident_reads.clocks(repair),
        "appointment": booking.live_appointment(repair),
    }
    return render(request, "repairs/resident/reported.html", context)


@audience(RESIDENT)
@module("repairs")
def repair_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = Paginator(resident_reads.listed(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    repairs = list(page.object_list)
    if repairs:
        services.record_reads(actor, "list", repairs, request)
    context = {"page": page, "repairs": repairs, "may_report": may_open(actor, "repairs:report")}
    return render(request, "repairs/resident/list.html", context)


@audience(RESIDENT)
@module("repairs")
def detail(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code)
    services.record_reads(actor, "view", [repair], request)
    appointment = booking.live_appointment(repair)
    mine = not repair.is_communal and access.may_change(actor, repair)
    context = {
        "repair": repair,
        "clocks": resident_reads.clocks(repair),
        "events": resident_reads.timeline(repair),
        "photos": resident_reads.photos(actor, repair),
        "appointment": appointment,
        "mine": mine,
        "may_change_appointment": mine and appointment is not None and booking.before_cutoff(appointment),
        "may_book": mine and appointment is None and booking.is_bookable(repair),
        "may_cancel": mine and repair.is_open and (appointment is None or booking.before_cutoff(appointment)),
        "cutoff_hours": int(booking.cutoff().total_seconds() // 3600),
        "phone": emergency_phone(),
    }
    return render(request, "repairs/resident/detail.html", context)


@audience(RESIDENT)
@module("repairs")
def photo(request: PorchRequest, code: UUID) -> FileResponse:
    actor = request.actor
    repair, found = resident_reads.photo_for(actor, code)
    services.record_reads(actor, "download", [repair], request)
    return photo_response(repair, found)


# --- Changing them -----------------------------------------------------------------------------


@audience(REPORTERS)
@module("repairs")
def appointment_change(request: PorchRequest, code: UUID) -> HttpResponse:
    """Book, or move, the repair's appointment: until the cut-off."""
    actor = request.actor
    repair = access.get_repair_for(actor, code, action=Action.CHANGE)
    current = booking.live_appointment(repair)
    if not booking.is_bookable(repair):
        messages.info(request, "Our repairs team will contact you to arrange a time for this repair.")
        return redirect("repairs:detail", code=repair.uuid)
    if current is not None and not booking.before_cutoff(current):
        messages.error(request, _too_late())
        return redirect("repairs:detail", code=repair.uuid)
    patch_id = booking.patch_of(repair)
    slots = booking.free_slots(patch_id) if patch_id else []
    form = SlotForm(_posted(request), slots=slots, allow_none=False)
    if form.is_valid():
        try:
            booking.change(actor=actor, repair=repair, slot=form.slots[form.cleaned_data["slot"]], request=request)
        except booking.SlotTaken:
            form.add_error("slot", "That time has just been booked by someone else. Select another time")
        except booking.TooLate:
            messages.error(request, _too_late())
            return redirect("repairs:detail", code=repair.uuid)
        else:
            messages.success(request, "Your appointment is booked.")
            return redirect("repairs:detail", code=repair.uuid)
    context = {"form": form, "repair": repair, "appointment": current, "slots": slots}
    return render(request, "repairs/resident/appointment_change.html", context)


@audience(REPORTERS)
@module("repairs")
@require_POST
def appointment_cancel(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    repair = access.get_repair_for(actor, code, action=Action.CHANGE)
    try:
        cancelled = booking.cancel_appointment(actor=actor, repair=repair, request=request)
    except booking.TooLate:
        messages.error(request, _too_late())
    else:
        if cancelled:
            messages.success(request, "Your appointment is cancelled. The repair is still open: book another time.")
        else:
            messages.info(request, "This appointment had already been cancelled. Nothing has changed.")
    return redirect("repairs:detail", code=repair.uuid)


@audience(REPORTERS)
@module("repairs")
def cancel(request: PorchRequest, code: UUID) -> HttpResponse:
    """Cancel a repair to the resident's own home, with a reason, while it is open (and not
    once its appointment is inside the cut-off: the contractor is on the way)."""
    actor = request.actor
    repair = access.get_repair_for(actor, code, action=Action.CHANGE)
    appointment = booking.live_appointment(repair)
    if not repair.is_open:
        messages.info(request, "This repair is already closed. Nothing has changed.")
        return redirect("repairs:detail", code=repair.uuid)
    if appointment is not None and not booking.before_cutoff(appointment):
        messages.error(request, _too_late())
        return redirect("repairs:detail", code=repair.uuid)
    form = CancelForm(_posted(request))
    if form.is_valid():
        services.cancel(actor=actor, repair=repair, reason=form.reason_words(), request=request)
        messages.success(request, f"Repair {repair.reference} is cancelled.")
        return redirect("repairs:detail", code=repair.uuid)
    return render(request, "repairs/resident/cancel.html", {"form": form, "repair": repair})


def _too_late() -> str:
    hours = int(booking.cutoff().total_seconds() // 3600)
    return TOO_LATE.format(hours=hours, phone=emergency_phone())


# --- The home page's panel ---------------------------------------------------------------------


def home_panel(request: PorchRequest) -> Mapping[str, Any] | None:
    """How many repairs are open, and the way to report one. A count reads nobody's data."""
    actor = request.actor
    return {"open_count": resident_reads.open_count(actor), "may_report": may_open(actor, "repairs:report")}
