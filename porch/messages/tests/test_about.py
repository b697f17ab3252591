"""A thread started from a record's page (a repair, a complaint, a rent account) names it, and
each viewer sees the record only through its own module's access rule: the resident who may
see it, the team if their role reads it, nobody through a forged or foreign id."""

from __future__ import annotations

import uuid

from django.test import Client

from conftest import Cast, make_staff, sign_in
from porch.complaints.tests.helpers import make_complaint
from porch.core.roles import StaffRole
from porch.messages.models import Thread
from porch.money.tests.helpers import an_account
from porch.repairs.tests.ladders_staff import make_repair


def _start_about(client: Client, about: str) -> object:
    form = client.get(f"/messages/new/?about={about}").context["form"]
    data = {
        "key": form.initial["key"],
        "about": form.fields["about"].initial,
        "home": form.initial["home"],
        "topic": form.fields["topic"].initial,
        "subject": "Still dripping",
        "text": "The tap still drips after the visit.",
        "who": "shared",
    }
    return client.post("/messages/new/", data)


def test_a_thread_started_from_a_repair_names_it_to_those_who_may_open_it(cast: Cast) -> None:
    repair = make_repair(cast)
    alice = sign_in(Client(), cast.resident("alice"))
    page = alice.get(f"/repairs/{repair.uuid}/").content.decode()
    link = f"/messages/new/?about=repair%3A{repair.uuid}"
    assert link in page
    started = _start_about(alice, f"repair:{repair.uuid}")
    thread = Thread.objects.get()
    assert (thread.about_kind, thread.about_code, thread.team) == ("repair", str(repair.uuid), "repairs")
    shown = alice.get(started["Location"]).content.decode()  # type: ignore[index]
    assert f"Repair {repair.reference}" in shown and f"/repairs/{repair.uuid}/" in shown

    cs = sign_in(Client(), cast.staff["cs"]).get(f"/staff/messages/{thread.uuid}/").content.decode()
    assert f"/staff/repairs/{repair.uuid}/" in cs
    income = make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    theirs = sign_in(Client(), income).get(f"/staff/messages/{thread.uuid}/").content.decode()
    assert "A repair that you cannot open" in theirs and repair.reference not in theirs


def test_a_foreign_or_forged_record_is_not_there(cast: Cast) -> None:
    repair = make_repair(cast)
    carol = sign_in(Client(), cast.resident("carol"))
    for about in (f"repair:{repair.uuid}", "repair:not-an-id", f"nothing:{uuid.uuid4()}", f"repair:{uuid.uuid4()}"):
        assert carol.get(f"/messages/new/?about={about}").status_code == 404
    form = carol.get("/messages/new/").context["form"]
    data = {
        "key": form.initial["key"],
        "about": f"repair:{repair.uuid}",
        "home": form.initial["home"],
        "topic": "repair",
        "subject": "x",
        "text": "y",
    }
    assert carol.post("/messages/new/", data).status_code == 404
    assert not Thread.objects.exists()


def test_complaints_and_rent_accounts_offer_a_message_about_them(cast: Cast) -> None:
    complaint = make_complaint(cast)
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    bob = sign_in(Client(), cast.resident("bob"))
    assert f"about=complaint%3A{complaint.uuid}" in bob.get(f"/complaints/{complaint.uuid}/").content.decode()
    assert f"about=rent_account%3A{account.uuid}" in bob.get(f"/rent/{account.uuid}/").content.decode()
    _start_about(bob, f"rent_account:{account.uuid}")
    thread = Thread.objects.get()
    assert (thread.about_kind, thread.team) == ("rent_account", "income")
    assert f"Rent account {account.hms_reference}" in bob.get(f"/messages/{thread.uuid}/").content.decode()
