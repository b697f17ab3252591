"""Residents see their own tenancy's rent account, as the housing system last gave it: the
account holders of the tenancy now, and nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, TODAY, Cast, make_staff, sign_in
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.core.roles import StaffRole
from porch.housing.models import Membership, Tenancy
from porch.money.access import PAGE_SIZE
from porch.money.models import AccountTransaction, RentAccount
from porch.money.templatetags.money import balance_words, pounds
from porch.rollout.models import ModuleSwitch
from porch.rollout.switches import forget

from .helpers import an_account

LIST = "/rent/"


def client_for(cast: Cast, who: str) -> Client:
    return sign_in(Client(), cast.resident(who))


def page(cast: Cast, who: str, url: str = LIST) -> str:
    response = client_for(cast, who).get(url)
    assert response.status_code == 200, (who, url, response.status_code)
    return response.content.decode()


def detail(account: RentAccount) -> str:
    return f"/rent/{account.uuid}/"


@pytest.mark.parametrize(
    ("pence", "words"),
    [
        (12345, "You owe £123.45: your account is in arrears"),
        (-2000, "You are £20.00 in credit: we owe you this"),
        (0, "Your account is up to date: you owe nothing"),
        (123456789, "You owe £1,234,567.89: your account is in arrears"),
    ],
)
def test_a_balance_is_said_plainly_from_the_residents_side(pence: int, words: str) -> None:
    assert balance_words(pence) == words
    assert pounds(-5) == "£0.05"


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_each_joint_tenant_sees_the_joint_account(cast: Cast, who: str) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment, thank you", -5000))
    shown = page(cast, who)
    assert "You owe £48.40" in shown and "£98.40 every week" in shown
    assert "Payment, thank you" in page(cast, who, detail(account))


def test_another_household_gets_not_found_and_sees_no_balance(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    assert client_for(cast, "carol").get(detail(account)).status_code == 404
    assert "£98.40" not in page(cast, "carol")
    assert "We have no rent or service-charge account for you yet" in page(cast, "carol")


def test_a_former_tenant_sees_nothing_of_the_account(cast: Cast) -> None:
    account = an_account(cast["evans"].tenancy, ("Rent", 9840))  # Erin's tenancy has ended
    client = client_for(cast, "erin")
    assert client.get(detail(account)).status_code == 404
    assert "£98.40" not in client.get(LIST).content.decode()


def test_a_joint_tenant_whose_membership_ended_loses_the_account_at_once(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    bob = client_for(cast, "bob")
    assert bob.get(detail(account)).status_code == 200
    Membership.objects.filter(person=cast["ashton"].people["bob"]).update(end_date=TODAY)
    assert bob.get(detail(account)).status_code == 404
    assert client_for(cast, "alice").get(detail(account)).status_code == 200


def test_a_new_tenancy_of_the_same_home_sees_nothing_of_the_last(cast: Cast) -> None:
    earlier = cast["evans"].tenancy
    old = an_account(earlier, ("Rent arrears from the last tenancy", 50000))
    later = Tenancy.objects.create(reference="T-NEW", property=earlier.property, kind=earlier.kind, start_date=TODAY)
    Membership.objects.create(
        tenancy=later, person=cast["smith"].people["sam"], role=Membership.Role.LEAD_TENANT, start_date=TODAY
    )
    new = an_account(later, ("Rent", 9840))
    sam = client_for(cast, "sam")
    assert sam.get(detail(old)).status_code == 404
    shown = sam.get(detail(new)).content.decode()
    assert "Rent arrears from the last tenancy" not in shown and "You owe £98.40" in shown


def test_the_history_is_newest_first_with_the_balance_after_each_worked_back_a_page_at_a_time(cast: Cast) -> None:
    history = [(f"Week {n}", 1000) for n in range(1, PAGE_SIZE + 6)]  # 30 charges of £10
    account = an_account(cast["ashton"].tenancy, *history, balance=35000)  # £50 owed before them
    first = page(cast, "alice", detail(account) + "?period=all")
    assert first.index("Week 30") < first.index("Week 29")
    assert "£350.00 owed" in first  # after the newest
    assert "Week 5<" not in first and "Older" in first
    second = page(cast, "alice", detail(account) + "?period=all&page=2")
    # The balance after Week 5 is £350 less the 25 newer charges: £100.
    assert "Week 5<" in second and "£100.00 owed" in second and "£60.00 owed" in second


def test_a_period_nobody_offered_shows_the_usual_one(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    shown = page(cast, "alice", detail(account) + "?period=<script>")
    assert "<script>" not in shown and 'value="3m" selected' in shown


def test_each_look_is_audited_once_per_account_holder_never_for_the_household_member(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    page(cast, "alice", detail(account))
    rows = AccessEvent.objects.filter(object_type="rent_account", object_id=str(account.uuid), action="view")
    people = cast["ashton"].people
    assert set(rows.values_list("subject_id", flat=True)) == {people["alice"].pk, people["bob"].pk}


def test_the_home_page_leads_to_the_account_without_reading_it(cast: Cast) -> None:
    an_account(cast["ashton"].tenancy, ("Rent", 9840))
    shown = page(cast, "alice", "/")
    assert "See your rent account" in shown and "£98.40" not in shown
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_the_kill_switch_makes_the_pages_unavailable_and_reads_nothing(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    ModuleSwitch.objects.create(module="money", is_off=True, reason="checking something")
    client = client_for(cast, "alice")
    assert client.get(LIST).status_code == 503
    assert client.get(detail(account)).status_code == 503
    assert "£98.40" not in client.get("/").content.decode()
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_the_account_page_runs_the_same_queries_for_two_transactions_or_a_full_page(cast: Cast) -> None:
    small = an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment", -9840))
    large = an_account(cast["ashton"].tenancy, *[(f"Week {n}", 1000) for n in range(PAGE_SIZE + 5)])
    client = client_for(cast, "alice")
    counts = []
    for account in (small, large):
        client.get(detail(account))  # the session's last-seen time is written once a minute
        forget()  # switches are remembered for half a second: both pages read them
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(account)).status_code == 200
        counts.append(len([q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]))
    # At most 15 with the switches read: 14 on SQLite, and on PostgreSQL the audit row's write also
    # locks its chain's row (ADR 0013). The same for both pages.
    assert counts[0] == counts[1] <= 15, counts


def test_a_transaction_posted_after_the_balance_was_worked_out_is_shown_but_not_counted(cast: Cast) -> None:
    """The housing system's balance is as at its moment; a later payment is not in it yet."""
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840), balance=9840)
    AccountTransaction.objects.create(
        hms_reference="TX-LATER",
        account=account,
        tenancy=account.tenancy,
        posted_on=TODAY + datetime.timedelta(days=1),
        kind=AccountTransaction.Kind.PAYMENT,
        description="Payment made after the balance",
        amount_pence=-9840,
    )
    shown = page(cast, "alice", detail(account))
    assert "Not in the balance yet" in shown and "£98.40 owed" in shown


def test_staff_viewing_as_a_resident_see_no_account_unless_their_role_reads_accounts(cast: Cast) -> None:
    """Customer services see Alice's pages as she does, but no more than their own role reads:
    never her rent account. The income team, who read every account, see it as she does."""
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    cs = viewing_as_alice(cast, cast.staff["cs"])
    assert cs.get(detail(account)).status_code == 404
    listed = cs.get(LIST).content.decode()
    assert "£98.40" not in listed and "Your role cannot see rent accounts" in listed
    income = make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    assert viewing_as_alice(cast, income).get(detail(account)).status_code == 200


def viewing_as_alice(cast: Cast, staff: User) -> Client:
    staff.role_grants.create(role="view_as")
    client = sign_in(Client(), staff)
    client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    alice = cast["ashton"].people["alice"]
    started = client.post(f"/staff/people/{alice.uuid}/view-as/", {"reason": "call", "reference": "CALL-1"})
    assert started["Location"] == "/", started
    return client
