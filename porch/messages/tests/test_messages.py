"""Messages through HTTP: a resident starts a thread (shared or private), a double submit makes
one, the household or the one resident reads it, the team replies from its inbox and the
residents who may read it are told (nothing of what it says), staff see only the households
they may see, files are checked by content, every read is audited per person, and the inbox
costs the same queries however many threads it shows."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from conftest import Cast, make_staff, sign_in
from porch.audit.models import AccessEvent
from porch.core.roles import StaffRole
from porch.messages import services
from porch.messages.models import Message, Thread
from porch.messages.tests.helpers import actor_of, make_thread
from porch.notifications.models import Notification
from porch.rollout.switches import forget
from porch.staff.models import BreakGlass
from porch.staff.tests.test_break_glass_and_training import open_outside_patch


def _start(client: Client, **extra: object) -> tuple[dict[str, object], object]:
    form = client.get("/messages/new/").context["form"]
    data = {
        "key": form.initial["key"],
        "home": form.initial["home"],
        "topic": "repair",
        "about_reference": "R123",
        "subject": "Leak",
        "text": "Water under the sink.",
        **extra,
    }
    return data, client.post("/messages/new/", data)


def test_a_double_submit_makes_one_thread_the_household_shares(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    data, first = _start(alice, who="shared")
    second = alice.post("/messages/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    thread = Thread.objects.get()
    assert thread.team == "repairs" and thread.about_reference == "R123" and thread.is_shared
    assert Message.objects.count() == 1
    assert "Water under the sink." in sign_in(Client(), cast.resident("bob")).get(first["Location"]).content.decode()
    assert sign_in(Client(), cast.resident("carol")).get(first["Location"]).status_code == 404


def test_a_joint_tenant_must_choose_and_a_private_thread_is_theirs_alone(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    _, refused = _start(alice)
    assert "Select who can read it" in refused.content.decode()
    assert "There is a problem" in refused.content.decode()
    _, made = _start(alice, who="private")
    thread = Thread.objects.get()
    assert thread.private_to_id == cast["ashton"].people["alice"].pk
    bob = sign_in(Client(), cast.resident("bob"))
    assert bob.get(made["Location"]).status_code == 404
    assert "Leak" not in bob.get("/messages/").content.decode()
    assert alice.get(made["Location"]).status_code == 200


def test_a_sole_tenant_is_not_asked_who_can_read_it(cast: Cast) -> None:
    carol = sign_in(Client(), cast.resident("carol"))
    assert "who" not in carol.get("/messages/new/").context["form"].fields
    _, made = _start(carol)
    assert made.status_code == 302 and Thread.objects.get().is_shared


def test_a_reply_from_staff_tells_those_who_may_read_it_and_nothing_of_it(cast: Cast) -> None:
    shared, private = make_thread(cast), make_thread(cast, private=True)
    assert not Notification.objects.exists()  # a resident is not told of their own message
    officer = sign_in(Client(), cast.staff["north"])
    for thread in (shared, private):
        key = officer.get(f"/staff/messages/{thread.uuid}/").context["form"].initial["key"]
        for _ in range(2):  # a double submit sends one reply
            officer.post(f"/staff/messages/{thread.uuid}/reply/", {"key": key, "text": "About your carer: yes."})
    assert Message.objects.filter(kind="staff").count() == 2
    ashton = cast["ashton"]
    told = {(n.person_id, n.link) for n in Notification.objects.all()}
    assert told == {
        (ashton.people["alice"].pk, f"/messages/{shared.uuid}/"),
        (ashton.people["bob"].pk, f"/messages/{shared.uuid}/"),  # not Amy, who holds no account
        (ashton.people["alice"].pk, f"/messages/{private.uuid}/"),  # the private thread: Alice alone
    }
    for notification in Notification.objects.all():
        assert notification.kind == "messages"
        assert notification.text == "You have a new message from us. Sign in to read it."
        assert "carer" not in f"{notification.subject} {notification.text}".lower()
    shared.refresh_from_db()
    assert not shared.awaiting_staff


def test_staff_see_only_the_households_they_may_see(cast: Cast) -> None:
    thread = make_thread(cast)
    assert sign_in(Client(), cast.staff["south"]).get(f"/staff/messages/{thread.uuid}/").status_code == 404
    south_inbox = sign_in(Client(), cast.staff["south"]).get("/staff/messages/?team=housing")
    assert south_inbox.context["threads"] == []
    north_inbox = sign_in(Client(), cast.staff["north"]).get("/staff/messages/")
    assert [t.pk for t in north_inbox.context["threads"]] == [thread.pk]
    assert sign_in(Client(), cast.staff["asb"]).get(f"/staff/messages/{thread.uuid}/").status_code == 403
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert dpo.get(f"/staff/messages/{thread.uuid}/").status_code == 200
    assert dpo.post(f"/staff/messages/{thread.uuid}/take/").status_code == 403
    assert dpo.post(f"/staff/messages/{thread.uuid}/reply/", {"key": str(uuid.uuid4()), "text": "x"}).status_code == 403


def test_a_member_of_the_team_takes_a_thread(cast: Cast) -> None:
    thread = make_thread(cast, topic="other")  # for customer services
    cs = sign_in(Client(), cast.staff["cs"])
    assert cs.post(f"/staff/messages/{thread.uuid}/take/").status_code == 302
    thread.refresh_from_db()
    assert thread.assigned_to_id == cast.staff["cs"].pk
    assert not services.thread_take(actor=actor_of(cast.staff["cs"]), thread=thread)


def test_reads_are_audited_per_person_the_thread_is_about(cast: Cast) -> None:
    shared, private = make_thread(cast), make_thread(cast, private=True)
    officer = sign_in(Client(), cast.staff["north"])
    ashton = cast["ashton"]
    for thread, expected in (
        (shared, {p.pk for p in ashton.people.values()}),
        (private, {ashton.people["alice"].pk}),
    ):
        before = AccessEvent.objects.filter(object_type="message_thread", action="view").count()
        officer.get(f"/staff/messages/{thread.uuid}/")
        seen = AccessEvent.objects.filter(object_type="message_thread", action="view")[before:]
        assert {event.subject_id for event in seen} == expected
        assert {event.object_id for event in seen} == {str(thread.uuid)}


def test_the_inbox_costs_the_same_queries_however_many_threads(cast: Cast) -> None:
    officer = sign_in(Client(), cast.staff["north"])
    make_thread(cast)
    officer.get("/staff/messages/")  # warm the session and the switches
    with CaptureQueriesContext(connection) as one:
        assert len(officer.get("/staff/messages/").context["threads"]) == 1
    for _ in range(5):
        make_thread(cast, private=True)
    with CaptureQueriesContext(connection) as six:
        assert len(officer.get("/staff/messages/").context["threads"]) == 6
    assert len(six) == len(one)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_a_file_is_checked_by_content_and_sent_so_no_browser_runs_it(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    _, refused = _start(alice, who="shared", attachment=fake)
    assert "The selected file must be a PDF, JPG or PNG" in refused.content.decode()
    assert not Thread.objects.exists()
    photo = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    _, made = _start(alice, who="shared", attachment=photo)
    message = Message.objects.get()
    assert message.attachment_type == "image/png"
    page = alice.get(made["Location"]).content.decode()
    assert f"/messages/files/{message.uuid}/" in page
    file = sign_in(Client(), cast.resident("bob")).get(f"/messages/files/{message.uuid}/")
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert b"".join(file.streaming_content).startswith(b"\x89PNG")
    assert sign_in(Client(), cast.resident("carol")).get(f"/messages/files/{message.uuid}/").status_code == 404


def test_the_kill_switch_closes_the_residents_pages(cast: Cast) -> None:
    from porch.rollout.models import ModuleSwitch

    alice = sign_in(Client(), cast.resident("alice"))
    assert alice.get("/messages/").status_code == 200
    ModuleSwitch.objects.create(module="messages", is_off=True)
    forget()
    assert alice.get("/messages/").status_code == 503


def _answer(cast: Cast, thread: Thread) -> None:
    services.message_send(actor=actor_of(cast.staff["north"]), thread=thread, text="Done.", key=uuid.uuid4())


def test_the_inbox_shows_what_waits_for_a_reply_unless_asked_for_more(cast: Cast) -> None:
    waiting, answered = make_thread(cast), make_thread(cast, private=True)
    _answer(cast, answered)
    officer = sign_in(Client(), cast.staff["north"])

    def shown(query: str = "") -> list[int]:
        return [t.pk for t in officer.get(f"/staff/messages/{query}").context["threads"]]

    assert shown() == [waiting.pk]
    assert shown("?team=housing&show=all") == [answered.pk, waiting.pk]
    assert shown("?show=mine") == []
    officer.post(f"/staff/messages/{answered.uuid}/take/")
    assert shown("?show=mine") == [answered.pk]
    assert shown("?show=nobody") == [waiting.pk]
    assert shown("?show=everything") == [waiting.pk]  # not offered: the default, not an error page


def test_a_thread_is_given_only_to_a_trained_member_of_the_team_who_can_see_it(cast: Cast) -> None:
    north = cast.patches["north"]
    colleague = make_staff("north2@staff.example.org", [StaffRole.HOUSING_OFFICER], [north])
    lapsed = make_staff("north3@staff.example.org", [StaffRole.HOUSING_OFFICER], [north])
    lapsed.training_completed_on = None
    lapsed.save()
    thread = make_thread(cast)
    officer = sign_in(Client(), cast.staff["north"])
    offered = officer.get(f"/staff/messages/{thread.uuid}/").context["assign"].members
    assert {user.username for user in offered.values()} == {"north@staff.example.org", "north2@staff.example.org"}

    refused = officer.post(f"/staff/messages/{thread.uuid}/give/", {"to": cast.staff["south"].pk})
    assert "There is a problem" in refused.content.decode() and "Select who to give it to" in refused.content.decode()
    thread.refresh_from_db()
    assert thread.assigned_to_id is None

    for _ in range(2):  # a double submit gives it once
        officer.post(f"/staff/messages/{thread.uuid}/give/", {"to": colleague.pk})
    thread.refresh_from_db()
    assert thread.assigned_to_id == colleague.pk
    given = AccessEvent.objects.filter(object_type="message_thread", reason="given to a colleague")
    assert given.count() == len(cast["ashton"].people)  # one row per person the thread is about


def test_a_thread_marked_as_needing_no_reply_waits_again_when_the_household_writes(cast: Cast) -> None:
    thread = make_thread(cast)
    officer = sign_in(Client(), cast.staff["north"])
    officer.post(f"/staff/messages/{thread.uuid}/no-reply-needed/")
    thread.refresh_from_db()
    assert not thread.awaiting_staff
    assert AccessEvent.objects.filter(reason="marked as needing no reply").exists()
    again = officer.post(f"/staff/messages/{thread.uuid}/no-reply-needed/", follow=True)
    assert "It was not waiting for a reply" in again.content.decode()
    alice = cast["ashton"].users["alice"]
    services.message_send(actor=actor_of(alice), thread=thread, text="One more thing.", key=uuid.uuid4())
    thread.refresh_from_db()
    assert thread.awaiting_staff


def test_the_households_other_threads_show_as_far_as_the_viewer_may_see(cast: Cast) -> None:
    thread, about_rent = make_thread(cast), make_thread(cast, topic="rent")
    neighbours = make_thread(cast, household="cole", who="carol")
    officer = sign_in(Client(), cast.staff["north"])
    before = AccessEvent.objects.filter(object_type="message_thread", action="list").count()
    page = officer.get(f"/staff/messages/{thread.uuid}/")
    assert [t.pk for t in page.context["others"]] == [about_rent.pk]
    assert neighbours.subject not in [t.subject for t in page.context["others"] if t.pk == neighbours.pk]
    listed = AccessEvent.objects.filter(object_type="message_thread", action="list")[before:]
    assert {event.object_id for event in listed} == {str(about_rent.uuid)}
    south = sign_in(Client(), cast.staff["south"])
    assert south.get(f"/staff/messages/{about_rent.uuid}/").status_code == 404


def test_a_joint_tenants_form_key_never_answers_with_their_private_thread(cast: Cast) -> None:
    key = uuid.uuid4()
    ashton = cast["ashton"]
    new = services.NewThread(tenancy=ashton.tenancy, subject="Private", topic="home", text="Mine.", private=True)
    services.thread_start(actor=actor_of(ashton.users["bob"]), new=new, key=key)
    with pytest.raises(SuspiciousOperation):
        services.thread_start(actor=actor_of(ashton.users["alice"]), new=new, key=key)


def test_the_residents_list_pages_rather_than_dropping_older_threads(cast: Cast) -> None:
    from porch.messages.views import PAGE_SIZE

    made = [make_thread(cast) for _ in range(PAGE_SIZE + 1)]
    bob = sign_in(Client(), cast.resident("bob"))
    first = bob.get("/messages/")
    assert len(first.context["threads"]) == PAGE_SIZE
    older = first.context["page"].older
    rest = bob.get(f"/messages/?older={older}").context["threads"]
    assert [t.pk for t in rest] == [made[0].pk]


def test_only_the_threads_team_may_take_it_never_through_break_glass(cast: Cast) -> None:
    thread = make_thread(cast)  # to the housing team, a home in the north patch
    south = sign_in(Client(), cast.staff["south"])
    open_outside_patch(south, cast["ashton"].tenancy.reference)
    assert BreakGlass.objects.exists()
    page = south.get(f"/staff/messages/{thread.uuid}/")
    assert page.status_code == 200 and not page.context["may_take"]
    assert south.post(f"/staff/messages/{thread.uuid}/take/").status_code == 403
    cs = sign_in(Client(), cast.staff["cs"])  # customer services read it, but it is the housing team's
    assert cs.post(f"/staff/messages/{thread.uuid}/take/").status_code == 403
    thread.refresh_from_db()
    assert thread.assigned_to_id is None
    assert sign_in(Client(), cast.staff["north"]).post(f"/staff/messages/{thread.uuid}/take/").status_code == 302


def test_a_file_attached_to_a_message_that_came_back_is_kept_not_attached_again(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    photo = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    data, first = _start(alice, who="shared", text="", attachment=photo)
    page = first.content.decode()
    assert "Enter your message" in page and "Remove the file you attached before (a PNG)" in page
    del data["attachment"]  # not attached again
    alice.post("/messages/new/", {**data, "text": "Here it is."})
    message = Message.objects.get()
    assert message.attachment_type == "image/png"
    thread = message.thread
    reply = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    key = str(uuid.uuid4())
    alice.post(f"/messages/{thread.uuid}/reply/", {"key": key, "text": "", "attachment": reply})
    alice.post(f"/messages/{thread.uuid}/reply/", {"key": key, "text": "And another.", "drop_kept": "on"})
    assert Message.objects.filter(thread=thread).count() == 2
    assert not Message.objects.filter(thread=thread, text="And another.").exclude(attachment="").exists()
