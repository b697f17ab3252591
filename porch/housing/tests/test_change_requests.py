"""Details change requests: residents ask, customer services or their housing officer decide,
and the 10-working-day clock shows on both sides."""

from __future__ import annotations

import datetime
import re
import types
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateformat import format as date_format

from conftest import PASSWORD, Cast, sign_in
from porch.audit.models import AccessEvent
from porch.core.sms import OutboxSmsBackend
from porch.housing import services
from porch.housing.models import DetailsChangeRequest, Person

QUEUE = "/staff/change-requests/"


def ask(client: Client, field: str, new_value: str, note: str = "", password: str = PASSWORD) -> Any:
    """Send the resident's form as a browser would, with the key the form handed out."""
    form = client.get("/my-details/change/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    return client.post(
        "/my-details/change/",
        {"idempotency_key": key, "field": field, "new_value": new_value, "note": note, "password": password},
    )


def alice_asks(cast: Cast, field: str = "mobile", new_value: str = "07700 900 982") -> DetailsChangeRequest:
    response = ask(sign_in(Client(), cast.resident("alice")), field, new_value)
    assert response.status_code == 302, response.content.decode()
    return DetailsChangeRequest.objects.latest("id")


def staff(cast: Cast, who: str) -> Client:
    return sign_in(Client(), cast.staff[who])


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def alice(cast: Cast) -> Person:
    return Person.objects.get(pk=cast["ashton"].people["alice"].pk)


# --- Who sees and decides -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["cs", "north"])
def test_customer_services_and_the_housing_officer_see_the_ashtons_requests(cast: Cast, who: str) -> None:
    change = alice_asks(cast)
    client = staff(cast, who)
    queue = page(client, QUEUE)
    assert cast["ashton"].people["alice"].full_name in queue
    assert f"{QUEUE}{change.uuid}/" in queue
    detail = page(client, f"{QUEUE}{change.uuid}/")
    assert "07700 900982" in detail and ">Approve<" in detail and ">Decline<" in detail


def test_a_housing_officer_in_another_patch_gets_404(cast: Cast) -> None:
    change = alice_asks(cast)
    south = staff(cast, "south")
    assert cast["ashton"].people["alice"].full_name not in page(south, QUEUE)
    assert south.get(f"{QUEUE}{change.uuid}/").status_code == 404
    assert south.post(f"{QUEUE}{change.uuid}/approve/").status_code == 404
    assert south.post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "No"}).status_code == 404
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


@pytest.mark.parametrize("who", ["alice", "carol", "staff:admin", "staff:asb"])
def test_residents_the_administrator_and_other_staff_roles_get_403(cast: Cast, who: str) -> None:
    change = alice_asks(cast)
    client = sign_in(Client(), cast.staff[who[6:]] if who.startswith("staff:") else cast.resident(who))
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}{change.uuid}/").status_code == 403
    assert client.post(f"{QUEUE}{change.uuid}/approve/").status_code == 403
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


def test_the_dpo_sees_requests_but_does_not_decide_them(cast: Cast) -> None:
    change = alice_asks(cast)
    dpo = staff(cast, "dpo")
    detail = page(dpo, f"{QUEUE}{change.uuid}/")
    assert ">Approve<" not in detail and "decides this request" in detail
    assert dpo.post(f"{QUEUE}{change.uuid}/approve/").status_code == 403
    assert dpo.post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "No"}).status_code == 403
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


def test_staff_without_current_training_are_sent_to_training(cast: Cast) -> None:
    alice_asks(cast)
    officer = cast.staff["north"]
    officer.training_completed_on = timezone.localdate() - datetime.timedelta(days=400)
    officer.save(update_fields=["training_completed_on"])
    response = staff(cast, "north").get(QUEUE)
    assert response.status_code == 403 and "training" in response.content.decode()


def test_a_resident_sees_only_their_own_requests(cast: Cast) -> None:
    alice_asks(cast, "email", "alice.new@example.org")
    assert "Your requests" not in page(sign_in(Client(), cast.resident("bob")), "/my-details/")
    assert "Your requests" in page(sign_in(Client(), cast.resident("alice")), "/my-details/")


# --- Approving ------------------------------------------------------------------------------


def test_approving_changes_the_record_once_and_audits_it_without_the_values(cast: Cast) -> None:
    change = alice_asks(cast)
    cs = staff(cast, "cs")
    response = cs.post(f"{QUEUE}{change.uuid}/approve/")
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert alice(cast).mobile == "07700 900982"
    change.refresh_from_db()
    assert change.status == "done" and change.decided_by == cast.staff["cs"] and change.decided_at is not None

    updates = AccessEvent.objects.filter(object_type="person", action="update")
    assert updates.count() == 1
    update = updates.get()
    assert update.actor == cast.staff["cs"] and update.subject == cast["ashton"].people["alice"]
    assert "Mobile number" in update.reason and "07700" not in update.reason and "900982" not in update.reason
    decision = AccessEvent.objects.get(object_type="details_change_request", action="update")
    assert decision.actor == cast.staff["cs"] and decision.subject == cast["ashton"].people["alice"]
    assert "approved" in decision.reason


@pytest.mark.parametrize(
    ("field", "asked", "stored"),
    [
        ("email", "Alice.New@example.org", {"email": "Alice.New@example.org"}),
        ("date_of_birth", "27 March 1985", {"date_of_birth": datetime.date(1985, 3, 27)}),
    ],
)
def test_approving_changes_the_field_asked_for(cast: Cast, field: str, asked: str, stored: dict[str, Any]) -> None:
    change = alice_asks(cast, field, asked)
    staff(cast, "north").post(f"{QUEUE}{change.uuid}/approve/")
    person = alice(cast)
    assert {name: getattr(person, name) for name in stored} == stored
    reason = AccessEvent.objects.get(object_type="person", action="update").reason
    assert asked not in reason and "1985" not in reason


def test_approving_a_name_splits_it_where_staff_say(cast: Cast) -> None:
    change = alice_asks(cast, "name", "Alice Mary Smith")
    north = staff(cast, "north")
    form = page(north, f"{QUEUE}{change.uuid}/")
    assert 'value="Alice Mary"' in form and 'value="Smith"' in form  # the best guess, to check
    north.post(f"{QUEUE}{change.uuid}/approve/", {"approve-first_name": "Alice", "approve-last_name": "Mary Smith"})
    person = alice(cast)
    assert (person.first_name, person.last_name) == ("Alice", "Mary Smith")


def test_a_name_split_must_still_be_the_name_asked_for(cast: Cast) -> None:
    change = alice_asks(cast, "name", "Alice Smith")
    before = alice(cast).full_name
    response = staff(cast, "north").post(
        f"{QUEUE}{change.uuid}/approve/", {"approve-first_name": "Alicia", "approve-last_name": "Smith"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text and "must be the name asked for" in text
    assert alice(cast).full_name == before
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


def test_approving_something_else_marks_it_done_and_changes_nothing(cast: Cast) -> None:
    change = alice_asks(cast, "other", "My middle name is missing")
    before = {f: getattr(alice(cast), f) for f in ("first_name", "last_name", "email", "mobile", "date_of_birth")}
    north = staff(cast, "north")
    assert "Make the change by hand first" in page(north, f"{QUEUE}{change.uuid}/")
    north.post(f"{QUEUE}{change.uuid}/approve/")
    assert DetailsChangeRequest.objects.get(pk=change.pk).status == "done"
    assert {f: getattr(alice(cast), f) for f in before} == before
    assert not AccessEvent.objects.filter(object_type="person", action="update").exists()
    assert "We dealt with your request on" in page(sign_in(Client(), cast.resident("alice")), "/my-details/")


def test_a_stored_value_that_is_no_longer_valid_is_not_approved(cast: Cast) -> None:
    change = DetailsChangeRequest.objects.create(
        person=cast["ashton"].people["alice"],
        tenancy=cast["ashton"].tenancy,
        field="email",
        new_value="not an email address",  # from before values were checked
        due_on=timezone.localdate(),
    )
    response = staff(cast, "cs").post(f"{QUEUE}{change.uuid}/approve/")
    assert response.status_code == 200 and "Enter an email address in the correct format" in response.content.decode()
    assert alice(cast).email == "alice@example.org"
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


# --- Declining ------------------------------------------------------------------------------


def test_declining_needs_a_reason(cast: Cast) -> None:
    change = alice_asks(cast)
    response = staff(cast, "north").post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "   "})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and 'href="#id_decline-reason"' in text
    assert "Enter the reason we cannot make this change" in text
    assert text.count("<title>Error: ") == 1
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open


def test_the_resident_sees_the_decision_and_the_reason(cast: Cast) -> None:
    change = alice_asks(cast)
    reason = "We need to speak to you first. Please call us."
    staff(cast, "north").post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": reason})
    change.refresh_from_db()
    assert change.status == "declined" and change.decline_reason == reason
    assert alice(cast).mobile == ""
    mine = page(sign_in(Client(), cast.resident("alice")), "/my-details/")
    assert "Not changed" in mine and reason in mine
    assert f"We decided this on {day(timezone.localtime(change.decided_at))}" in mine
    decision = AccessEvent.objects.get(object_type="details_change_request", action="update")
    assert decision.actor == cast.staff["north"] and reason not in decision.reason


# --- Deciding once --------------------------------------------------------------------------


def test_a_double_submit_decides_once(cast: Cast) -> None:
    change = alice_asks(cast)
    cs = staff(cast, "cs")
    cs.post(f"{QUEUE}{change.uuid}/approve/")
    Person.objects.filter(pk=change.person_id).update(mobile="07700 900111")  # changed again later, by hand
    second = cs.post(f"{QUEUE}{change.uuid}/approve/", follow=True)
    assert "Someone has already decided this request" in second.content.decode()
    assert alice(cast).mobile == "07700 900111"
    assert AccessEvent.objects.filter(object_type="person", action="update").count() == 1


def test_two_staff_deciding_at_once_decide_once(cast: Cast) -> None:
    change = alice_asks(cast)
    staff(cast, "cs").post(f"{QUEUE}{change.uuid}/approve/")
    late = staff(cast, "north").post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "No"}, follow=True)
    assert "Someone has already decided this request" in late.content.decode()
    change.refresh_from_db()
    assert change.status == "done" and change.decided_by == cast.staff["cs"] and change.decline_reason == ""


def test_the_service_refuses_a_request_decided_since_it_was_read(cast: Cast) -> None:
    """The page was read while the request was open; the lock inside the service finds it decided."""
    from porch.accounts.actors import actor_for_user

    change = alice_asks(cast)
    read_earlier = DetailsChangeRequest.objects.get(pk=change.pk)
    staff(cast, "cs").post(f"{QUEUE}{change.uuid}/approve/")
    with pytest.raises(services.AlreadyDecided):
        services.details_change_request_decline(
            actor=actor_for_user(cast.staff["north"], verified=True), change=read_earlier, reason="No"
        )
    assert DetailsChangeRequest.objects.get(pk=change.pk).status == "done"


# --- The clock ------------------------------------------------------------------------------


def test_the_reply_date_skips_weekends_and_bank_holidays_and_shows_on_both_sides(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked on Tuesday 22 December 2026: Christmas Day, Boxing Day (Monday 28) and New Year's Day
    # and two weekends fall in the ten working days, so the reply is due on Friday 8 January 2027.
    clock = types.SimpleNamespace(localdate=lambda: datetime.date(2026, 12, 22), now=timezone.now)
    monkeypatch.setattr(services, "timezone", clock)
    client = sign_in(Client(), cast.resident("alice"))
    done = ask(client, "mobile", "07700 900982")
    monkeypatch.undo()
    assert DetailsChangeRequest.objects.get().due_on == datetime.date(2027, 1, 8)
    assert "reply by 8 January 2027" in page(client, "/my-details/")  # the confirmation message
    assert done.status_code == 302
    mine = page(client, "/my-details/")
    assert "8 January 2027" in mine
    assert "8 January 2027" in page(staff(cast, "north"), QUEUE)


def test_an_open_request_shows_when_we_will_reply(cast: Cast) -> None:
    change = alice_asks(cast)
    mine = page(sign_in(Client(), cast.resident("alice")), "/my-details/")
    assert f"We will reply by {day(change.due_on)}" in mine


def test_overdue_requests_are_tagged_for_staff_and_the_resident_is_told(cast: Cast) -> None:
    late, on_time = alice_asks(cast), alice_asks(cast, "email", "alice.new@example.org")
    DetailsChangeRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    queue = page(staff(cast, "cs"), QUEUE)
    rows = queue.split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 2
    assert str(late.uuid) in rows[0] and "Overdue" in rows[0]  # the one due soonest first
    assert str(on_time.uuid) in rows[1] and "Overdue" not in rows[1]
    assert "We should have replied by" in page(sign_in(Client(), cast.resident("alice")), "/my-details/")


# --- The queue page -------------------------------------------------------------------------


def make_request(person: Person, household: Any, days: int) -> DetailsChangeRequest:
    return DetailsChangeRequest.objects.create(
        person=person,
        tenancy=household.tenancy,
        field="mobile",
        new_value="07700 900982",
        due_on=timezone.localdate() + datetime.timedelta(days=days),
    )


def test_the_queue_runs_a_fixed_number_of_queries_and_audits_each_person_shown(cast: Cast) -> None:
    ashton, cole = cast["ashton"], cast["cole"]
    make_request(ashton.people["alice"], ashton, 5)
    client = staff(cast, "north")
    client.get(QUEUE)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    askers = [(ashton.people["bob"], ashton), (cole.people["carol"], cole), (ashton.people["amy"], ashton)]
    for number in range(15):
        person, household = askers[number % 3]
        make_request(person, household, number)
    with CaptureQueriesContext(connection) as many:
        text = page(client, QUEUE)
    assert len(many) == len(few)
    assert cole.people["carol"].full_name in text
    listed = AccessEvent.objects.filter(object_type="details_change_request", action="list").order_by("-id")[:16]
    assert {event.subject_id for event in listed} == {p.id for p in (*ashton.people.values(), cole.people["carol"])}


def test_the_queue_is_paginated(cast: Cast) -> None:
    ashton = cast["ashton"]
    for number in range(51):
        make_request(ashton.people["alice"], ashton, number)
    cs = staff(cast, "cs")
    first, second = page(cs, QUEUE), page(cs, f"{QUEUE}?page=2")
    assert "51 waiting for a decision" in first and "Page 1 of 2" in first
    assert first.count(f'<a class="govuk-link" href="{QUEUE}') == 50
    assert second.count(f'<a class="govuk-link" href="{QUEUE}') == 1


def test_opening_a_request_is_audited(cast: Cast) -> None:
    change = alice_asks(cast)
    page(staff(cast, "north"), f"{QUEUE}{change.uuid}/")
    event = AccessEvent.objects.get(object_type="details_change_request", action="view")
    assert event.actor == cast.staff["north"] and event.subject == cast["ashton"].people["alice"]
    assert event.object_id == str(change.uuid)


# --- Telling the resident -------------------------------------------------------------------


def test_the_message_to_the_resident_carries_no_personal_data(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # the worker, at once
    change = alice_asks(cast, "email", "alice.new@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        staff(cast, "cs").post(f"{QUEUE}{change.uuid}/approve/")
    # The old address hears of it too, so a change the resident did not ask for is noticed.
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "alice.new@example.org",
        "alice@example.org",
    ]
    person = cast["ashton"].people["alice"]
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Sign in to see what we decided" in text and f"{settings.PORTAL_URL}/my-details/" in text
        for personal in ("alice", "Alice", person.last_name, cast["ashton"].marker, "Mobile", "Email address"):
            assert personal not in text, personal


def test_a_resident_with_only_a_mobile_gets_a_text_without_the_reason(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # the worker, at once
    change = alice_asks(cast, "mobile", "07700 900982")
    Person.objects.filter(pk=change.person_id).update(email="", mobile="07700 900123")
    reason = "We could not confirm the number belongs to you."
    with django_capture_on_commit_callbacks(execute=True):
        staff(cast, "north").post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": reason})
    assert mail.outbox == []
    assert [message.to for message in OutboxSmsBackend.outbox] == ["07700 900123"]
    body = OutboxSmsBackend.outbox[0].body
    assert "Sign in to see what we decided" in body and reason not in body and "900982" not in body


# --- What residents may ask -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "alice at example", "Enter an email address in the correct format, like name@example.com"),
        ("mobile", "020 7946 0000", "Enter a UK mobile number, like 07700 900 982"),
        ("date_of_birth", "31 2 1985", "Date of birth must be a real date"),
        ("date_of_birth", "next Tuesday", "Enter your date of birth as day, month and year, like 27 3 1985"),
        ("date_of_birth", "1 1 2999", "Date of birth must be in the past"),
        ("name", "   ", "Enter what it should say"),
    ],
)
def test_a_value_that_does_not_fit_the_field_is_refused_with_a_govuk_error(
    cast: Cast, field: str, value: str, error: str
) -> None:
    response = ask(sign_in(Client(), cast.resident("alice")), field, value)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in text and "There is a problem" in text
    assert f'<a href="#id_new_value">{error}</a>' in text
    assert 'id="id_new_value_error"' in text
    assert not DetailsChangeRequest.objects.exists()


def test_values_are_stored_in_one_form(cast: Cast) -> None:
    assert alice_asks(cast, "mobile", "+44 (0)7700 900982").new_value == "07700 900982"
    assert alice_asks(cast, "date_of_birth", "27/03/1985").new_value == "1985-03-27"


# --- Former tenants -------------------------------------------------------------------------


def test_a_former_tenant_can_sign_in_and_ask_for_a_correction(cast: Cast) -> None:
    evans = cast["evans"]
    client = Client()
    signed_in = client.post("/sign-in/", {"username": "erin@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert "Ask us to change your details" in page(client, "/my-details/")
    assert ask(client, "date_of_birth", "2 1 1980").status_code == 302
    change = DetailsChangeRequest.objects.get()
    assert change.person == evans.people["erin"] and change.tenancy == evans.tenancy
    assert "We will reply by" in page(client, "/my-details/")
    # Their housing officer (the old home's patch) sees and decides it.
    north = staff(cast, "north")
    assert evans.people["erin"].full_name in page(north, QUEUE)
    north.post(f"{QUEUE}{change.uuid}/approve/")
    assert Person.objects.get(pk=change.person_id).date_of_birth == datetime.date(1980, 1, 2)
    assert staff(cast, "south").get(f"{QUEUE}{change.uuid}/").status_code == 404


def test_a_former_tenant_sees_nothing_else_of_their_old_home(cast: Cast) -> None:
    evans = cast["evans"]
    client = sign_in(Client(), cast.resident("erin"))
    ask(client, "email", "erin.new@example.org")
    old_home = [evans.tenancy.property.address_line_1, evans.tenancy.reference, evans.tenancy.property.postcode]
    old_home += [document.title for document in evans.documents.values()]
    for url in ("/", "/my-details/", "/my-details/change/", "/documents/", "/privacy/"):
        text = client.get(url, follow=True).content.decode()
        assert not [detail for detail in old_home if detail in text], url
    assert "not linked to a current tenancy" in page(client, "/")
    assert client.get(f"/documents/{evans.documents['letter'].uuid}/download/").status_code == 404


def test_a_request_is_answered_in_the_patch_it_is_filed_under_and_the_exposure_report_agrees(cast: Cast) -> None:
    """Sam once lived in patch North and now lives in South. His request is filed under his
    South home, so the South officer answers it and the North officer, for whom he is only a
    past resident, cannot see it (404). Erin's request is filed under her last home, in North.
    The exposure report, judging each audit row by the tenancy it was reached through, finds
    nothing served outside the access model."""
    from porch.accounts.actors import actor_for_user
    from porch.exposure.reports import Window, exposure_report
    from porch.housing.models import Membership, Property, Tenancy

    smith = cast["smith"]
    earlier = Tenancy.objects.create(
        reference="T000099",
        property=Property.objects.create(
            block=cast["ashton"].tenancy.property.block,
            address_line_1="9 Ash House",
            town="Exampleton",
            postcode="EX9 1AA",
        ),
        kind="social_rent",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    Membership.objects.create(
        tenancy=earlier,
        person=smith.people["sam"],
        role="lead_tenant",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    assert ask(sign_in(Client(), cast.resident("sam")), "email", "sam.new@example.org").status_code == 302
    ask(sign_in(Client(), cast.resident("erin")), "email", "erin.new@example.org")
    sams = DetailsChangeRequest.objects.get(person=smith.people["sam"])
    erins = DetailsChangeRequest.objects.get(person=cast["evans"].people["erin"])
    assert sams.tenancy == smith.tenancy  # filed under his home now, in South
    north, south = staff(cast, "north"), staff(cast, "south")
    assert smith.people["sam"].full_name not in page(north, QUEUE)
    assert north.get(f"{QUEUE}{sams.uuid}/").status_code == 404
    assert north.post(f"{QUEUE}{sams.uuid}/approve/").status_code == 404
    page(south, f"{QUEUE}{sams.uuid}/")
    south.post(f"{QUEUE}{sams.uuid}/decline/", {"decline-reason": "Please call us."})
    north.post(f"{QUEUE}{erins.uuid}/approve/")
    now = timezone.now()
    window = Window(now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    report = exposure_report(actor=actor_for_user(cast.staff["dpo"], verified=True), window=window)
    assert AccessEvent.objects.filter(actor=cast.staff["south"], subject=smith.people["sam"]).count() >= 2
    assert (report.events, report.affected) == (0, [])


def test_the_residents_privacy_page_says_staff_looked_at_and_answered_their_request(cast: Cast) -> None:
    change = alice_asks(cast)
    page(staff(cast, "north"), f"{QUEUE}{change.uuid}/")
    staff(cast, "north").post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "We need proof."})
    privacy = page(sign_in(Client(), cast.resident("alice")), "/privacy/")
    assert "Your housing officer looked at a request to change your details" in privacy
    assert "Your housing officer answered your request to change your details" in privacy
    assert "We need proof." not in privacy


def test_staff_home_shows_how_many_requests_are_open(cast: Cast) -> None:
    alice_asks(cast)
    assert "Requests to change personal details</a> (1 open)" in page(staff(cast, "cs"), "/staff/")
    assert "/staff/change-requests/" not in page(staff(cast, "admin"), "/staff/")


def test_asking_for_a_change_needs_the_residents_password(cast: Cast) -> None:
    """A new email or mobile becomes a way to sign in and reset the password: a session
    left open on a shared computer must not be enough to ask for one."""
    client = sign_in(Client(), cast.resident("alice"))
    response = ask(client, "email", "someone.else@example.org", password="not the password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The password is not correct" in body and "There is a problem" in body
    assert "someone.else@example.org" in body  # what was typed is kept
    assert not DetailsChangeRequest.objects.exists()


def test_asking_again_for_the_same_thing_waits_for_our_answer(cast: Cast) -> None:
    alice_asks(cast, "mobile", "07700 900 982")
    client = sign_in(Client(), cast.resident("alice"))
    again = ask(client, "mobile", "07700 900 983")
    assert again.status_code == 200
    body = again.content.decode()
    assert "You already asked us to change your mobile number on" in body and "There is a problem" in body
    assert DetailsChangeRequest.objects.filter(field="mobile").count() == 1
    assert ask(client, "email", "alice.new@example.org").status_code == 302  # something else may still be asked


def test_a_form_key_that_belongs_to_someone_elses_request_is_refused_not_a_server_error(cast: Cast) -> None:
    theirs = alice_asks(cast)
    carol = sign_in(Client(), cast.resident("carol"))
    carol.get("/my-details/change/")
    response = carol.post(
        "/my-details/change/",
        {
            "idempotency_key": str(theirs.idempotency_key),
            "field": "email",
            "new_value": "carol.new@example.org",
            "note": "",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "07700" not in response.content.decode()
    assert not DetailsChangeRequest.objects.filter(person=cast["cole"].people["carol"]).exists()


def test_a_former_tenant_sees_staff_handling_their_request_on_their_privacy_page(cast: Cast) -> None:
    ask(sign_in(Client(), cast.resident("erin")), "email", "erin.new@example.org")
    change = DetailsChangeRequest.objects.get(person=cast["evans"].people["erin"])
    page(staff(cast, "north"), f"{QUEUE}{change.uuid}/")
    privacy = page(sign_in(Client(), cast.resident("erin")), "/privacy/")
    assert "Your housing officer looked at a request to change your details" in privacy
