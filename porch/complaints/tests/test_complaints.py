"""Complaints through HTTP: a resident makes one and follows it, the household shares it, the
complaints team works it through both stages, a different handler at stage 2 (the service and
the database), the response letter as a document, the queue, the figures and the audit rows."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.complaints import services
from porch.complaints.models import Complaint, ComplaintEntry
from porch.complaints.tests.helpers import actor_of, handler, make_complaint
from porch.documents.models import Document
from porch.rollout.switches import forget


def test_a_double_submit_makes_one_complaint_the_household_shares(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    form = alice.get("/complaints/new/").context["form"]
    data = {"key": form.initial["key"], "home": form.initial["home"], "about": "Mould.", "wanted": "Treat it."}
    first = alice.post("/complaints/new/", data)
    second = alice.post("/complaints/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    complaint = Complaint.objects.get()
    bob = sign_in(Client(), cast.resident("bob")).get(f"/complaints/{complaint.uuid}/")
    assert bob.status_code == 200
    assert "We must acknowledge it by" in bob.content.decode()
    assert sign_in(Client(), cast.resident("carol")).get(f"/complaints/{complaint.uuid}/").status_code == 404


def test_the_form_says_what_is_missing(cast: Cast) -> None:
    response = sign_in(Client(), cast.resident("alice")).post("/complaints/new/", {"key": str(uuid.uuid4())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter what your complaint is about" in page


def test_stage_1_and_stage_2_with_a_different_handler(cast: Cast) -> None:
    complaint = make_complaint(cast)
    first, second = actor_of(handler(cast)), actor_of(handler(cast, "complaints2"))
    assert services.complaint_acknowledge(actor=first, complaint=complaint)
    services.complaint_extend(actor=first, complaint=complaint, days=3, reason="Waiting for the contractor.")
    key = uuid.uuid4()
    for _ in range(2):  # a double submit sends one letter
        services.complaint_respond(actor=first, complaint=complaint, outcome="partly", text="Sorry.", key=key)
    letter = Document.objects.get(type__name="Complaint response")
    assert letter.type.resident_visible and letter.tenancy_id == complaint.tenancy_id

    alice = sign_in(Client(), cast.resident("alice"))
    page = alice.get(f"/complaints/{complaint.uuid}/").content.decode()
    assert "Waiting for the contractor." in page
    assert f"/documents/{letter.uuid}/download/" in page
    assert alice.get(f"/documents/{letter.uuid}/download/").status_code == 200
    assert alice.post(f"/complaints/{complaint.uuid}/stage-2/", {"comment": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == 2

    with pytest.raises(services.SameHandler):
        services.complaint_acknowledge(actor=first, complaint=complaint)
    staff_page = sign_in(Client(), handler(cast)).get(f"/staff/complaints/{complaint.uuid}/").content.decode()
    assert "someone else must handle stage 2" in staff_page
    services.complaint_respond(actor=second, complaint=complaint, outcome="upheld", text="Fixed.", key=uuid.uuid4())
    final = alice.get(f"/complaints/{complaint.uuid}/").content.decode()
    assert "This was our final response" in final
    assert "0300 111 3000" in final  # the Housing Ombudsman, England being the default nation


def test_the_database_refuses_one_handler_at_both_stages(cast: Cast) -> None:
    complaint = make_complaint(cast)
    same = handler(cast)
    Complaint.objects.filter(pk=complaint.pk).update(stage=2, stage1_handler=same)
    with pytest.raises(IntegrityError):
        Complaint.objects.filter(pk=complaint.pk).update(stage2_handler=same)


def test_internal_notes_never_reach_the_household_and_reads_are_audited_per_person(cast: Cast) -> None:
    complaint = make_complaint(cast)
    officer = sign_in(Client(), cast.staff["north"])
    detail = officer.get(f"/staff/complaints/{complaint.uuid}/")
    key = detail.context["forms"]["note"].initial["key"]
    officer.post(f"/staff/complaints/{complaint.uuid}/note/", {"note-key": key, "note-text": "SECRETNOTE"})
    officer.post(f"/staff/complaints/{complaint.uuid}/note/", {"note-key": key, "note-text": "SECRETNOTE"})
    assert ComplaintEntry.objects.filter(kind="note").count() == 1
    before = AccessEvent.objects.filter(object_type="complaint", action="view").count()
    page = sign_in(Client(), cast.resident("bob")).get(f"/complaints/{complaint.uuid}/").content.decode()
    assert "SECRETNOTE" not in page
    household = {p.pk for p in cast["ashton"].people.values()}
    seen = AccessEvent.objects.filter(object_type="complaint", action="view")[before:]
    assert {event.subject_id for event in seen} == household


def test_the_dpo_reads_but_may_not_work_a_complaint(cast: Cast) -> None:
    complaint = make_complaint(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert dpo.get(f"/staff/complaints/{complaint.uuid}/").status_code == 200
    assert dpo.post(f"/staff/complaints/{complaint.uuid}/acknowledge/").status_code == 403


def test_the_queue_puts_the_most_overdue_first_and_the_figures_count(cast: Cast) -> None:
    import datetime

    late, later = make_complaint(cast), make_complaint(cast, "cole", "carol")
    Complaint.objects.filter(pk=late.pk).update(due_on=datetime.date(2025, 1, 6))
    Complaint.objects.filter(pk=later.pk).update(due_on=datetime.date(2025, 1, 3))
    client = sign_in(Client(), handler(cast))
    shown = client.get("/staff/complaints/?clock=overdue").context["complaints"]
    assert [c.pk for c in shown] == [later.pk, late.pk]
    services.complaint_respond(
        actor=actor_of(handler(cast)), complaint=late, outcome="upheld", text="=HYPERLINK()", key=uuid.uuid4()
    )
    from porch.complaints.figures import year_of

    year = year_of(late.received_on)
    csv = client.get(f"/staff/complaints/figures.csv?year={year}").content.decode()
    assert csv.splitlines()[1].split(",")[1:5] == ["Stage 1", "2", "1", "1"]


def test_the_queue_pages_by_position_in_due_order_with_each_complaints_home(cast: Cast) -> None:
    import datetime

    from django.http import QueryDict

    from porch.complaints.queue import queue_page

    complaints = [make_complaint(cast, *who) for who in [("ashton", "alice"), ("cole", "carol")] * 3]
    days = [6, 3, 3, 8, 3, 7]  # three due the same day: they run in the order they came
    for complaint, day in zip(complaints, days, strict=True):
        Complaint.objects.filter(pk=complaint.pk).update(due_on=datetime.date(2025, 1, day))
    expected = [c.pk for _, c in sorted(zip(days, complaints, strict=True), key=lambda pair: (pair[0], pair[1].pk))]
    actor, today = actor_of(handler(cast)), datetime.date(2025, 1, 10)
    pages = [queue_page(actor, "", today, QueryDict(), size=4)]
    pages.append(queue_page(actor, "", today, QueryDict(f"older={pages[0].older}"), size=4))
    assert [c.pk for page in pages for c in page.items] == expected
    assert pages[1].older is None
    back = queue_page(actor, "", today, QueryDict(f"newer={pages[1].newer}"), size=4)
    assert [c.pk for c in back.items] == expected[:4]
    # Read with their homes (the page's second query), not one query a row as the page is drawn.
    with CaptureQueriesContext(connection) as drawing:
        assert all(c.tenancy.property.address_line_1 for page in pages for c in page.items)
    assert len(drawing) == 0


def test_the_queue_costs_the_same_queries_however_many_complaints(cast: Cast) -> None:
    client = sign_in(Client(), handler(cast))
    make_complaint(cast)
    client.get("/staff/complaints/")  # warm the session and the switches
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/staff/complaints/").context["complaints"]) == 1
    for _ in range(5):
        make_complaint(cast, "cole", "carol")
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/staff/complaints/").context["complaints"]) == 6
    assert len(six) == len(one)


def test_the_kill_switch_closes_the_residents_pages(cast: Cast) -> None:
    from porch.rollout.models import ModuleSwitch

    alice = sign_in(Client(), cast.resident("alice"))
    assert alice.get("/complaints/").status_code == 200
    ModuleSwitch.objects.create(module="complaints", is_off=True)
    forget()
    assert alice.get("/complaints/").status_code == 503


def test_the_account_holders_are_told_there_is_a_response_and_nothing_of_what_it_says(cast: Cast) -> None:
    from porch.notifications.models import Notification

    complaint = make_complaint(cast, about="The people at number 2 are noisy.")
    assert not Notification.objects.exists()  # Alice made it: nobody is told of their own step
    services.complaint_respond(
        actor=actor_of(handler(cast)), complaint=complaint, outcome="upheld", text="We spoke to them.", key=uuid.uuid4()
    )
    told = Notification.objects.filter(subject="We have responded to your complaint")
    ashton = cast["ashton"]
    assert {n.person_id for n in told} == {ashton.people["alice"].pk, ashton.people["bob"].pk}  # not Amy
    for notification in told:
        words = f"{notification.subject} {notification.text}"
        assert "noisy" not in words and "spoke" not in words and "number 2" not in words
        assert notification.link == f"/complaints/{complaint.uuid}/"


def test_whoever_handled_stage_1_can_neither_write_on_nor_close_stage_2(cast: Cast) -> None:
    complaint = make_complaint(cast)
    first, second = handler(cast), handler(cast, "complaints2")
    services.complaint_acknowledge(actor=actor_of(first), complaint=complaint)
    services.complaint_respond(
        actor=actor_of(first), complaint=complaint, outcome="partly", text="Sorry.", key=uuid.uuid4()
    )
    services.complaint_escalate(actor=actor_of(cast.resident("alice")), complaint=complaint, comment="")
    services.complaint_respond(
        actor=actor_of(second), complaint=complaint, outcome="upheld", text="Fixed.", key=uuid.uuid4()
    )
    stage_1_handler = sign_in(Client(), first)
    for route, data in (
        ("update", {"update-key": str(uuid.uuid4()), "update-text": "From the first handler."}),
        ("note", {"note-key": str(uuid.uuid4()), "note-text": "From the first handler."}),
        ("close", {}),
    ):
        response = stage_1_handler.post(f"/staff/complaints/{complaint.uuid}/{route}/", data, follow=True)
        assert "someone else must handle stage 2. Nothing has changed." in response.content.decode(), route
    assert not ComplaintEntry.objects.filter(complaint=complaint, stage=2, by_id=first.pk).exists()
    complaint.refresh_from_db()
    assert complaint.is_open


def test_a_member_who_joined_after_the_complaint_sees_neither_it_nor_its_response(cast: Cast) -> None:
    """The response letter is a document of the tenancy, but only for those who could read the
    complaint: a joint tenant who joined between the complaint and the response does not get it."""
    import datetime

    from django.utils import timezone

    from porch.housing.models import Membership

    today = timezone.localdate()
    complaint = make_complaint(cast)
    Complaint.objects.filter(pk=complaint.pk).update(received_on=today - datetime.timedelta(days=10))
    ashton = cast["ashton"]
    Membership.objects.filter(person=ashton.people["bob"]).update(start_date=today - datetime.timedelta(days=5))
    complaint.refresh_from_db()
    services.complaint_respond(
        actor=actor_of(handler(cast)), complaint=complaint, outcome="upheld", text="We fixed it.", key=uuid.uuid4()
    )
    letter = complaint.stages.get(number=1).response
    assert letter is not None
    alice = sign_in(Client(), cast.resident("alice"))
    assert alice.get(f"/documents/{letter.uuid}/download/").status_code == 200
    bob = sign_in(Client(), cast.resident("bob"))
    assert bob.get(f"/complaints/{complaint.uuid}/").status_code == 404
    assert bob.get(f"/documents/{letter.uuid}/download/").status_code == 404
    assert letter.title not in bob.get("/documents/").content.decode()
    assert letter.subject_ids == [ashton.people["alice"].pk, ashton.people["amy"].pk]


def test_the_residents_list_pages_rather_than_dropping_older_complaints(cast: Cast) -> None:
    from porch.complaints.views import PAGE_SIZE

    made = [make_complaint(cast) for _ in range(PAGE_SIZE + 1)]
    bob = sign_in(Client(), cast.resident("bob"))
    first = bob.get("/complaints/")
    assert len(first.context["complaints"]) == PAGE_SIZE
    rest = bob.get(f"/complaints/?older={first.context['page'].older}").context["complaints"]
    assert [c.pk for c in rest] == [made[0].pk]
