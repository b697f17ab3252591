"""A repair's staff page and the repairs team's changes to it: triage, assigning a firm,
updates and notes, the damp-and-mould steps of Awaab's Law, closing. Coordinators change;
the other readers only read (403); another patch's officer gets 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.accounts.models import ContractorFirm, User
from porch.audit.models import AccessEvent
from porch.core.working_days import add_working_days
from porch.repairs import clocks
from porch.repairs.models import Assignment, Repair, RepairEvent
from porch.repairs.tests.ladders_staff import add_photo, coordinator, make_repair


def client_for(cast: Cast, who: str) -> Client:
    if who == "repairs":
        return sign_in(Client(), coordinator(cast))
    return sign_in(Client(), cast.staff[who])


def url(repair: Repair, action: str = "") -> str:
    return f"/staff/repairs/{repair.uuid}/" + (f"{action}/" if action else "")


def firm(name: str) -> ContractorFirm:
    return ContractorFirm.objects.create(name=name)


# --- Reading ---------------------------------------------------------------------------------


def test_a_coordinator_sees_everything_about_a_repair(cast: Cast) -> None:
    repair = make_repair(cast, description="Tap drips under the sink")
    add_photo(repair)
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.NOTE, text="Internal: call first")
    page = client_for(cast, "repairs").get(url(repair)).content.decode()
    alice = cast["ashton"].people["alice"]
    assert alice.full_name in page and "alice@example.org" in page
    assert "07700 900123" in page
    assert "Tap drips under the sink" in page
    assert "Internal: call first" in page
    assert "We aim to finish the repair" in page  # its clock
    assert "Download photo 1" in page
    assert 'action="/staff/repairs/' in page  # the forms


def test_the_page_is_audited_as_a_view(cast: Cast) -> None:
    repair = make_repair(cast)
    client_for(cast, "north").get(url(repair))
    rows = AccessEvent.objects.filter(action="view", object_id=str(repair.uuid), actor=cast.staff["north"])
    assert {row.subject_id for row in rows} == {person.pk for person in cast["ashton"].people.values()}


@pytest.mark.parametrize(("who", "status"), [("north", 200), ("cs", 200), ("dpo", 200), ("south", 404), ("asb", 403)])
def test_who_may_open_a_repair(cast: Cast, who: str, status: int) -> None:
    repair = make_repair(cast)
    response = client_for(cast, who).get(url(repair))
    assert response.status_code == status
    if status == 200:
        assert 'action="/staff/repairs/' not in response.content.decode()  # read only: no forms


def test_a_forged_id_is_404(cast: Cast) -> None:
    client = client_for(cast, "repairs")
    assert client.get(f"/staff/repairs/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"/staff/repairs/{uuid.uuid4()}/note/", {"note-text": "x"}).status_code == 404


def test_a_photo_downloads_audited_and_safe(cast: Cast) -> None:
    repair = make_repair(cast)
    photo = add_photo(repair)
    response = client_for(cast, "repairs").get(f"/staff/repairs/photos/{photo.uuid}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessEvent.objects.filter(action="download", object_id=str(repair.uuid)).exists()
    assert client_for(cast, "south").get(f"/staff/repairs/photos/{photo.uuid}/").status_code == 404


# --- Who may change ------------------------------------------------------------------------

ACTIONS = [
    "triage",
    "assign",
    "update",
    "contractor-note",
    "note",
    "investigated",
    "hazard",
    "made-safe",
    "summary-sent",
    "close",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["north", "cs", "dpo"])
def test_readers_who_are_not_coordinators_get_403_on_every_change(cast: Cast, action: str, who: str) -> None:
    repair = make_repair(cast, code="damp_mould_patches")
    before = RepairEvent.objects.count()
    assert client_for(cast, who).post(url(repair, action), {}).status_code == 403
    assert RepairEvent.objects.count() == before


# --- Triage --------------------------------------------------------------------------------


def told(repair: Repair) -> list[str]:
    """What the task worker has been asked to tell the reporter about this repair."""
    tasks = DBTaskResult.objects.filter(task_path="porch.repairs.notifications.repair_update_send")
    return [
        task.args_kwargs["kwargs"]["what"]
        for task in tasks.order_by("enqueued_at")
        if task.args_kwargs["kwargs"]["repair_id"] == repair.pk
    ]


def test_triage_changes_category_and_priority_and_moves_the_priority_clock(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    repair = make_repair(cast, code="kitchen_tap")  # routine: 20 working days
    data = {"triage-category": "kitchen_leak", "triage-priority": "emergency", "triage-reason": "Water near a socket"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast, "repairs").post(url(repair, "triage"), data)
    assert response.status_code == 302
    repair.refresh_from_db()
    assert (repair.category, repair.priority, repair.status) == ("kitchen_leak", "emergency", Repair.Status.TRIAGED)
    attend = repair.clocks.get(kind=clocks.Kind.ATTEND)
    assert attend.due_at == repair.reported_at + datetime.timedelta(hours=24)
    assert not repair.clocks.filter(kind=clocks.Kind.COMPLETE).exists()
    published = repair.events.get(kind=RepairEvent.Kind.TRIAGED)
    assert published.published and "Water near a socket" not in published.text
    assert repair.events.filter(kind=RepairEvent.Kind.NOTE, published=False, text__contains="Water near a socket")
    assert AccessEvent.objects.filter(action="update", reason__contains="Water near a socket").exists()
    assert told(repair) == ["triaged"]


def test_triage_needs_a_reason_and_shows_the_error_summary(cast: Cast) -> None:
    repair = make_repair(cast)
    data = {"triage-category": "kitchen_leak", "triage-priority": "urgent", "triage-reason": ""}
    response = client_for(cast, "repairs").post(url(repair, "triage"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter the reason" in page
    assert page.count("<title>Error:") == 1
    repair.refresh_from_db()
    assert repair.category == "kitchen_tap"


def test_a_shared_areas_repair_can_only_take_a_shared_areas_category(cast: Cast) -> None:
    repair = make_repair(cast, code="communal_lift", communal=True)
    data = {"triage-category": "kitchen_tap", "triage-priority": "urgent", "triage-reason": "x"}
    response = client_for(cast, "repairs").post(url(repair, "triage"), data)
    assert "Select the type of repair" in response.content.decode()
    repair.refresh_from_db()
    assert repair.category == "communal_lift"


def test_a_double_triage_changes_once(cast: Cast) -> None:
    repair = make_repair(cast)
    data = {"triage-category": "kitchen_leak", "triage-priority": "urgent", "triage-reason": "Leak"}
    client = client_for(cast, "repairs")
    client.post(url(repair, "triage"), data)
    client.post(url(repair, "triage"), data)
    assert repair.events.filter(kind=RepairEvent.Kind.TRIAGED).count() == 1


# --- Assigning -------------------------------------------------------------------------------


def contractor_sees(firm: ContractorFirm, repair: Repair) -> bool:
    user = User.objects.create_user(
        username=f"{uuid.uuid4().hex}@firm.example.org", kind=User.Kind.CONTRACTOR, firm=firm
    )
    return Repair.objects.visible_to(actor_for_user(user, verified=True)).filter(pk=repair.pk).exists()


def test_reassigning_ends_the_first_firms_access_at_once(cast: Cast) -> None:
    repair = make_repair(cast)
    first, second = firm("Acme Plumbing"), firm("Brightwork")
    client = client_for(cast, "repairs")
    client.post(url(repair, "assign"), {"assign-firm": str(first.uuid), "assign-reason": "Plumber"})
    assert contractor_sees(first, repair)
    client.post(url(repair, "assign"), {"assign-firm": str(second.uuid), "assign-reason": "First firm too busy"})
    repair.refresh_from_db()
    assert repair.firm == second and repair.status == Repair.Status.ASSIGNED
    assert not contractor_sees(first, repair) and contractor_sees(second, repair)
    history = list(Assignment.objects.filter(repair=repair).order_by("started_at", "id"))
    assert [a.firm for a in history] == [first, second]
    assert history[0].ended_at is not None and history[1].ended_at is None
    page = client.get(url(repair)).content.decode()
    assert "Acme Plumbing: from" in page and "Brightwork: from" in page


def test_assigning_to_an_unknown_firm_is_an_error(cast: Cast) -> None:
    repair = make_repair(cast)
    response = client_for(cast, "repairs").post(
        url(repair, "assign"), {"assign-firm": str(uuid.uuid4()), "assign-reason": "x"}
    )
    assert "Select a contractor firm" in response.content.decode()
    assert not Assignment.objects.exists()


# --- Updates and notes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "prefix", "published", "for_contractor"),
    [("update", "update", True, False), ("contractor-note", "contractor", False, True), ("note", "note", False, False)],
)
def test_a_note_is_written_once_however_often_it_is_sent(
    cast: Cast, action: str, prefix: str, published: bool, for_contractor: bool
) -> None:
    repair = make_repair(cast)
    data = {f"{prefix}-key": str(uuid.uuid4()), f"{prefix}-text": "The part is on order."}
    client = client_for(cast, "repairs")
    assert client.post(url(repair, action), data).status_code == 302
    assert client.post(url(repair, action), data).status_code == 302
    notes = repair.events.filter(text="The part is on order.")
    assert notes.count() == 1
    assert (notes[0].published, notes[0].for_contractor) == (published, for_contractor)


def test_a_published_update_tells_the_resident_and_a_note_does_not(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    repair = make_repair(cast)
    client = client_for(cast, "repairs")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(repair, "note"), {"note-key": str(uuid.uuid4()), "note-text": "Internal"})
        client.post(url(repair, "update"), {"update-key": str(uuid.uuid4()), "update-text": "Part ordered"})
    assert told(repair) == ["updated"]


def test_a_notes_key_from_another_repair_is_refused(cast: Cast) -> None:
    first, second = make_repair(cast), make_repair(cast)
    key = str(uuid.uuid4())
    client = client_for(cast, "repairs")
    client.post(url(first, "note"), {"note-key": key, "note-text": "One"})
    assert client.post(url(second, "note"), {"note-key": key, "note-text": "Two"}).status_code == 400
    assert not second.events.filter(text="Two").exists()


# --- Awaab's Law -------------------------------------------------------------------------------


def test_recording_the_investigation_meets_its_clock_and_starts_the_summary(cast: Cast) -> None:
    repair = make_repair(cast, code="damp_mould_patches")
    client = client_for(cast, "repairs")
    client.post(url(repair, "investigated"), {"investigated-reason": "Black mould in the bedroom"})
    repair.refresh_from_db()
    assert repair.investigated_at is not None
    assert repair.clocks.get(kind=clocks.Kind.AWAAB_INVESTIGATE).met_at is not None
    summary = repair.clocks.get(kind=clocks.Kind.AWAAB_SUMMARY)
    day = add_working_days(timezone.localdate(repair.investigated_at), 3, region="ENG")
    assert timezone.localtime(summary.due_at).date() == day and summary.met_at is None
    client.post(url(repair, "summary-sent"))
    summary.refresh_from_db()
    assert summary.met_at is not None
    assert repair.events.filter(kind=RepairEvent.Kind.SUMMARY_SENT, published=True).exists()


def test_an_emergency_hazard_starts_the_24_hour_clock_and_can_be_made_safe(cast: Cast) -> None:
    repair = make_repair(cast, code="damp_mould_patches")
    client = client_for(cast, "repairs")
    client.post(url(repair, "hazard"), {"hazard-reason": "Mould over a baby's cot"})
    repair.refresh_from_db()
    assert repair.emergency_hazard
    clock = repair.clocks.get(kind=clocks.Kind.AWAAB_EMERGENCY)
    assert clock.precise and clock.due_at == repair.reported_at + datetime.timedelta(hours=24)
    client.post(url(repair, "made-safe"))
    clock.refresh_from_db()
    assert clock.met_at is not None


def test_awaabs_steps_do_not_apply_in_scotland_or_to_other_repairs(cast: Cast) -> None:
    scottish = make_repair(cast, code="damp_patches", nation=clocks.SCOTLAND)
    tap = make_repair(cast)
    client = client_for(cast, "repairs")
    for repair in (scottish, tap):
        response = client.post(url(repair, "hazard"), {"hazard-reason": "x"}, follow=True)
        assert "applies to damp and mould in England only" in response.content.decode()
        repair.refresh_from_db()
        assert not repair.emergency_hazard
        assert not repair.clocks.filter(kind=clocks.Kind.AWAAB_EMERGENCY).exists()


# --- Closing -----------------------------------------------------------------------------------


def test_completing_closes_once_and_tells_the_resident(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    repair = make_repair(cast)
    data = {"close-outcome": "completed", "close-message": "New washer fitted."}
    client = client_for(cast, "repairs")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(repair, "close"), data)
        client.post(url(repair, "close"), data)
    repair.refresh_from_db()
    assert repair.status == Repair.Status.COMPLETED and repair.closed_at is not None
    assert repair.events.filter(kind=RepairEvent.Kind.COMPLETED, text="New washer fitted.").count() == 1
    assert told(repair) == ["completed"]


def test_a_closed_repair_takes_no_more_changes(cast: Cast) -> None:
    repair = make_repair(cast)
    client = client_for(cast, "repairs")
    client.post(url(repair, "close"), {"close-outcome": "cancelled", "close-message": "Reported twice."})
    response = client.post(
        url(repair, "triage"),
        {"triage-category": "kitchen_leak", "triage-priority": "urgent", "triage-reason": "x"},
        follow=True,
    )
    assert "This repair is closed. Nothing has changed." in response.content.decode()
    repair.refresh_from_db()
    assert repair.status == Repair.Status.CANCELLED and repair.category == "kitchen_tap"


def test_scottish_repairs_completed_late_owe_compensation(cast: Cast) -> None:
    repair = make_repair(cast, code="heating_partial", nation=clocks.SCOTLAND)
    rtr = repair.clocks.get(kind=clocks.Kind.RIGHT_TO_REPAIR)
    rtr.due_at = clocks.end_of(add_working_days(timezone.localdate() - datetime.timedelta(days=14), 1, region="SCT"))
    rtr.save()
    client_for(cast, "repairs").post(url(repair, "close"), {"close-outcome": "completed", "close-message": "Fixed"})
    repair.refresh_from_db()
    late = clocks.working_days_late(rtr.due_at, repair.completed_at, clocks.SCOTLAND)  # type: ignore[arg-type]
    assert late > 0
    assert repair.compensation_pence == min(1500 + 300 * late, 10000)
    assert repair.compensation in client_for(cast, "repairs").get(url(repair)).content.decode()
