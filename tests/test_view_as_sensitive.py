"""Staff viewing the portal as a resident never learn that the resident reported anti-social
behaviour, unless their own role reads it: not from the report's page, the privacy page or the
notifications. Nor do they read more of a household's messages or complaints than their own role
may (an ASB officer, who reads every tenancy, reading the private messages of the person a report
is about was the way round)."""

from __future__ import annotations

import uuid

from django.test import Client

from conftest import Cast, make_staff, sign_in
from porch.asb import services
from porch.asb.tests.helpers import actor_of, make_report, viewing_as
from porch.asb.tests.test_links import link_carol
from porch.complaints.tests.helpers import make_complaint
from porch.core.roles import StaffRole
from porch.messages import services as messages
from porch.money.tests.helpers import an_account
from porch.money.tests.test_resident_rent import viewing_as_alice


def test_customer_services_viewing_as_the_reporter_find_no_sign_of_the_report(cast: Cast) -> None:
    case = make_report(cast)
    asb = actor_of(cast.staff["asb"])
    services.case_note(actor=asb, case=case, kind="update", text="We will visit.", key=uuid.uuid4())
    services.cases_seen(asb, [case], "view")
    alice = sign_in(Client(), cast.resident("alice"))
    assert "your report of anti-social behaviour" in alice.get("/privacy/").content.decode()
    assert str(case.uuid) in alice.get("/notifications/").content.decode()

    as_alice = viewing_as_alice(cast, cast.staff["cs"])
    assert as_alice.get(f"/anti-social-behaviour/{case.uuid}/").status_code == 404
    assert "report of anti-social behaviour" not in as_alice.get("/privacy/").content.decode()
    notifications = as_alice.get("/notifications/").content.decode()
    assert str(case.uuid) not in notifications and "update on your report" not in notifications.lower()


def test_an_asb_officer_viewing_as_a_resident_reads_no_private_message_or_complaint(cast: Cast) -> None:
    ashton = cast["ashton"]
    thread = messages.thread_start(
        actor=actor_of(ashton.users["alice"]),
        new=messages.NewThread(
            tenancy=ashton.tenancy, subject="Rent", topic="rent", text="A private worry about rent.", private=True
        ),
        key=uuid.uuid4(),
    )
    complaint = make_complaint(cast)
    as_alice = viewing_as_alice(cast, cast.staff["asb"])
    assert as_alice.get(f"/messages/{thread.uuid}/").status_code == 404
    assert as_alice.get(f"/complaints/{complaint.uuid}/").status_code == 404
    housing = viewing_as_alice(cast, cast.staff["north"])
    assert housing.get(f"/complaints/{complaint.uuid}/").status_code == 200  # their own role reads complaints


def test_customer_services_viewing_as_a_resident_see_no_reads_of_their_rent_account(cast: Cast) -> None:
    """Money kinds name their readers: the privacy page during view-as shows reads of the rent
    account only to staff whose own role reads accounts, as the account pages do."""
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    income = sign_in(Client(), make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], []))
    assert income.get(f"/staff/income/accounts/{account.uuid}/").status_code == 200
    alice = sign_in(Client(), cast.resident("alice"))
    assert "your rent or service-charge account" in alice.get("/privacy/").content.decode()
    as_alice = viewing_as_alice(cast, cast.staff["cs"])
    assert "your rent or service-charge account" not in as_alice.get("/privacy/").content.decode()


def test_staff_viewing_as_the_person_named_find_no_sign_of_the_report_or_its_link(cast: Cast) -> None:
    """Carol is named in Alice's report and the ASB officer linked it to her record. Staff viewing
    as Carol, an ASB officer among them (whose own role reads the case), see what Carol sees:
    nothing of the report, and no sign on her privacy page that anyone looked her up or linked her."""
    case = make_report(cast)
    link_carol(cast, case).get(f"/staff/asb/{case.uuid}/")  # the link, and a read of it
    carol = cast["cole"].people["carol"]
    for staff in (cast.staff["cs"], cast.staff["asb"]):
        as_carol = viewing_as(staff, carol)
        assert as_carol.get(f"/anti-social-behaviour/{case.uuid}/").status_code == 404
        assert case.reference not in as_carol.get("/anti-social-behaviour/").content.decode()
        told = [text for _, text in as_carol.get("/privacy/").context["entries"]]
        assert told and all("seeing your account as you see it" in text for text in told)  # view-as alone
        notifications = as_carol.get("/notifications/").content.decode()
        assert str(case.uuid) not in notifications and "update on your report" not in notifications.lower()
        as_carol.post("/staff/view-as/end/")
