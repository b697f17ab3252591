"""Arrangements to pay off arrears: an account holder asks, the income team agrees (as asked
or with changes) or declines with a reason, and the resident sees the answer and how they are
keeping to it. Nobody else sees any of it; nothing is asked or decided twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TODAY, Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.housing.models import Membership, Tenancy
from porch.money.arrangement_services import AlreadyDecided, arrangement_decide
from porch.money.models import AccountTransaction, Frequency, PaymentArrangement, RentAccount
from porch.outbox.models import OutboxEvent

from .arrangement_helpers import a_proposal, in_arrears
from .helpers import an_account, income_officer

pytestmark = pytest.mark.django_db
ASK = "Ask to pay off what you owe in instalments"


def resident(cast: Cast, who: str) -> Client:
    return sign_in(Client(), cast.resident(who))


def officer(cast: Cast) -> Client:
    return sign_in(Client(), income_officer(cast))


def account_page(cast: Cast, who: str, account: RentAccount) -> str:
    response = resident(cast, who).get(f"/rent/{account.uuid}/")
    assert response.status_code == 200
    return response.content.decode()


def form_data(**changes: Any) -> dict[str, Any]:
    start = TODAY + datetime.timedelta(days=3)
    data = {
        "idempotency_key": "8a3c1f0e-6f1d-4f55-9d59-0d1c3a0b9e11",
        "amount": "12.50",
        "every": "fortnight",
        "starts_on_day": start.day,
        "starts_on_month": start.month,
        "starts_on_year": start.year,
        "note": "I am paid every other Friday",
    }
    return data | changes


def propose_url(account: RentAccount) -> str:
    return f"/rent/{account.uuid}/arrangement/"


def decide(cast: Cast, arrangement: PaymentArrangement, **data: str) -> Any:
    return officer(cast).post(f"/staff/income/arrangements/{arrangement.uuid}/decide/", data)


def events(topic: str) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(topic=topic))


# --- The resident asks -------------------------------------------------------------------


def test_an_account_holder_in_arrears_asks_to_pay_in_instalments_and_sees_it_waiting(cast: Cast) -> None:
    account = in_arrears(cast)
    assert ASK in account_page(cast, "alice", account)
    alice = resident(cast, "alice")
    assert "You owe £500.00" in alice.get(propose_url(account)).content.decode()
    sent = alice.post(propose_url(account), form_data())
    arrangement = PaymentArrangement.objects.get(account=account)
    assert sent["Location"] == f"/rent/arrangements/{arrangement.uuid}/sent/"
    assert "£12.50 every two weeks" in alice.get(sent["Location"]).content.decode()
    assert (arrangement.proposed_pence, arrangement.proposed_every, arrangement.status) == (
        1250,
        "fortnight",
        "proposed",
    )
    assert arrangement.tenancy_id == account.tenancy_id and arrangement.proposed_by == cast["ashton"].people["alice"]
    shown = account_page(cast, "bob", account)  # the joint tenant sees it too
    assert "Our income team has not decided yet" in shown and ASK not in shown
    looked = AccessEvent.objects.filter(object_type="payment_arrangement", action="view", actor=cast.resident("bob"))
    assert looked.filter(object_id=str(arrangement.uuid)).count() == 2  # one row for each account holder


def test_asking_is_audited_to_each_account_holder_and_sent_to_the_housing_system(cast: Cast) -> None:
    account = in_arrears(cast)
    resident(cast, "alice").post(propose_url(account), form_data())
    arrangement = PaymentArrangement.objects.get()
    written = AccessEvent.objects.filter(object_type="payment_arrangement", action="create")
    people = cast["ashton"].people
    assert set(written.values_list("subject_id", flat=True)) == {people["alice"].pk, people["bob"].pk}
    [event] = events("payment_arrangement.proposed")
    assert event.about == account.hms_reference
    assert event.payload["arrangement"] == str(arrangement.uuid)
    assert event.payload["account_ref"] == account.hms_reference
    assert (event.payload["proposed_pence"], event.payload["proposed_every"]) == (1250, "fortnight")
    assert event.payload["status"] == "proposed" and event.payload["agreed_pence"] is None


def test_an_account_not_in_arrears_offers_no_instalments(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment, thank you", -9840))
    assert ASK not in account_page(cast, "alice", account)
    alice = resident(cast, "alice")
    assert alice.get(propose_url(account))["Location"] == f"/rent/{account.uuid}/"
    assert alice.post(propose_url(account), form_data(amount="0.01"))["Location"] == f"/rent/{account.uuid}/"
    assert not PaymentArrangement.objects.exists()


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"amount": "500.01"}, "The amount must be £500.00 or less"),
        ({"amount": "0.99"}, "The amount must be £1.00 or more"),
        ({"amount": ""}, "Enter how much you can pay each time"),
        ({"every": "year"}, "Select how often you can pay"),
        ({"starts_on_day": (TODAY - datetime.timedelta(days=1)).day,
          "starts_on_month": (TODAY - datetime.timedelta(days=1)).month,
          "starts_on_year": (TODAY - datetime.timedelta(days=1)).year}, "must be today or in the future"),
        ({"starts_on_day": (TODAY + datetime.timedelta(weeks=8, days=1)).day,
          "starts_on_month": (TODAY + datetime.timedelta(weeks=8, days=1)).month,
          "starts_on_year": (TODAY + datetime.timedelta(weeks=8, days=1)).year}, "must be on or before"),
        ({"note": "x" * 501}, "500 characters or fewer"),
    ],
)  # fmt: skip
def test_an_offer_outside_the_limits_is_refused_with_the_reason(cast: Cast, changes: dict[str, Any], why: str) -> None:
    account = in_arrears(cast)
    response = resident(cast, "alice").post(propose_url(account), form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and why in page
    assert not PaymentArrangement.objects.exists()


def test_sending_the_form_twice_makes_one_arrangement(cast: Cast) -> None:
    account = in_arrears(cast)
    alice = resident(cast, "alice")
    first = alice.post(propose_url(account), form_data())
    second = alice.post(propose_url(account), form_data())
    assert first["Location"] == second["Location"]
    assert PaymentArrangement.objects.count() == 1 and len(events("payment_arrangement.proposed")) == 1


def test_a_second_request_while_one_is_open_is_refused(cast: Cast) -> None:
    account = in_arrears(cast)
    a_proposal(cast, account=account)
    bob = resident(cast, "bob")
    assert bob.get(propose_url(account))["Location"] == f"/rent/{account.uuid}/"
    again = bob.post(propose_url(account), form_data(idempotency_key="0f0e0d0c-0b0a-4909-8807-060504030201"))
    assert again["Location"] == f"/rent/{account.uuid}/"
    assert PaymentArrangement.objects.count() == 1


def test_the_database_holds_one_open_arrangement_an_account(cast: Cast) -> None:
    """Two requests at the same moment could both pass the form's check: the database refuses
    the second. Once one is answered no, another may be asked."""
    first = a_proposal(cast)
    twin = PaymentArrangement(
        account=first.account,
        tenancy=first.tenancy,
        proposed_by=first.proposed_by,
        proposed_pence=500,
        proposed_every=Frequency.WEEK,
        starts_on=TODAY,
        idempotency_key="11111111-2222-4333-8444-555555555555",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    PaymentArrangement.objects.filter(pk=first.pk).update(status="withdrawn")
    twin.save()
    assert twin.pk is not None


def test_a_decline_without_a_reason_is_refused_by_the_database(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentArrangement.objects.filter(pk=arrangement.pk).update(
            status="declined", decided_by=income_officer(cast), decided_at=timezone.now()
        )


# --- Who may see it ------------------------------------------------------------------------


def household_member(cast: Cast) -> User:
    """Amy lives with the Ashtons but holds no account (she could not sign up): a login made
    for her anyway holds nothing of theirs."""
    return User.objects.create_user(
        username="amy@example.org", password="x", kind=User.Kind.RESIDENT, person=cast["ashton"].people["amy"]
    )


@pytest.mark.parametrize("page", ["sent", "withdraw"])
def test_nobody_but_the_account_holders_now_finds_an_arrangement(cast: Cast, page: str) -> None:
    arrangement = a_proposal(cast)
    url = f"/rent/arrangements/{arrangement.uuid}/{page}/"
    assert resident(cast, "bob").get(url).status_code == 200
    for outsider in ("carol", "sam"):
        assert resident(cast, outsider).get(url).status_code == 404
    assert sign_in(Client(), household_member(cast)).get(url).status_code == 404
    assert resident(cast, "carol").post(f"/rent/arrangements/{arrangement.uuid}/withdraw/").status_code == 404
    assert PaymentArrangement.objects.get().status == "proposed"


def test_a_former_tenant_and_a_later_tenancy_of_the_home_see_nothing(cast: Cast) -> None:
    earlier = cast["evans"].tenancy  # Erin's tenancy ended last year
    account = an_account(earlier, ("Arrears", 40000))
    arrangement = PaymentArrangement.objects.create(
        account=account,
        tenancy=earlier,
        proposed_by=cast["evans"].people["erin"],
        proposed_pence=1000,
        proposed_every=Frequency.WEEK,
        starts_on=TODAY,
        idempotency_key="21111111-2222-4333-8444-555555555555",
    )
    later = Tenancy.objects.create(reference="T-NEW", property=earlier.property, kind=earlier.kind, start_date=TODAY)
    Membership.objects.create(
        tenancy=later, person=cast["smith"].people["sam"], role=Membership.Role.LEAD_TENANT, start_date=TODAY
    )
    for who in ("erin", "sam"):
        assert resident(cast, who).get(f"/rent/arrangements/{arrangement.uuid}/sent/").status_code == 404
        assert resident(cast, who).get(propose_url(account)).status_code == 404


# --- Withdrawing ---------------------------------------------------------------------------


def test_a_resident_withdraws_a_request_still_waiting(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    alice = resident(cast, "alice")
    url = f"/rent/arrangements/{arrangement.uuid}/withdraw/"
    assert "Withdraw your request to pay in instalments?" in alice.get(url).content.decode()
    assert alice.post(url)["Location"] == f"/rent/{arrangement.account.uuid}/"
    arrangement.refresh_from_db()
    assert arrangement.status == "withdrawn"
    assert [event.payload["status"] for event in events("payment_arrangement.withdrawn")] == ["withdrawn"]
    assert AccessEvent.objects.filter(object_type="payment_arrangement", action="update", reason="withdrawn").exists()
    assert ASK in account_page(cast, "alice", arrangement.account)


def test_a_request_already_answered_cannot_be_withdrawn(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    decide(cast, arrangement, decision="agree")
    alice = resident(cast, "alice")
    assert alice.post(f"/rent/arrangements/{arrangement.uuid}/withdraw/").status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.status == "agreed" and not events("payment_arrangement.withdrawn")


# --- The income team decides ---------------------------------------------------------------


def test_the_queue_lists_proposals_waiting_oldest_first_never_a_test_households(cast: Cast) -> None:
    older = a_proposal(cast, "ashton", "alice")
    newer = a_proposal(cast, "cole", "carol")
    PaymentArrangement.objects.filter(pk=older.pk).update(proposed_at=timezone.now() - datetime.timedelta(days=2))
    hidden = a_proposal(cast, "smith", "sam")
    Tenancy.objects.filter(pk=hidden.tenancy_id).update(is_test=True)
    page = officer(cast).get("/staff/income/arrangements/").content.decode()
    assert page.index(older.account.hms_reference) < page.index(newer.account.hms_reference)
    assert hidden.account.hms_reference not in page and "2 waiting for a decision" in page
    assert officer(cast).get(f"/staff/income/arrangements/{hidden.uuid}/").status_code == 404
    listed = AccessEvent.objects.filter(object_type="payment_arrangement", action="list")
    assert set(listed.values_list("object_id", flat=True)) == {str(older.uuid), str(newer.uuid)}


def test_the_queue_runs_the_same_queries_for_one_proposal_or_three(cast: Cast) -> None:
    a_proposal(cast, "ashton", "alice")
    client = officer(cast)
    counts = []
    for more in (0, 2):
        for household, who in (("cole", "carol"), ("dunn", "dan"))[:more]:
            a_proposal(cast, household, who)
        client.get("/staff/income/arrangements/")  # the session's last-seen time is written once a minute
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/income/arrangements/").status_code == 200
        counts.append(len([q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]))
    assert counts[0] == counts[1], counts


def test_the_decision_page_shows_the_balance_and_the_proposal_and_is_audited(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    page = officer(cast).get(f"/staff/income/arrangements/{arrangement.uuid}/").content.decode()
    assert "£500.00 owed" in page and "£10.00 every week" in page and "Paid on Fridays" in page
    people = {cast["ashton"].people["alice"].pk, cast["ashton"].people["bob"].pk}
    for kind in ("payment_arrangement", "rent_account"):
        rows = AccessEvent.objects.filter(object_type=kind, action="view", actor=income_officer(cast))
        assert set(rows.values_list("subject_id", flat=True)) == people, kind


def test_an_officer_agrees_and_the_resident_sees_what_was_agreed(cast: Cast) -> None:
    arrangement = a_proposal(cast, pence=1000, every=Frequency.WEEK, starts_on=TODAY + datetime.timedelta(days=5))
    assert decide(cast, arrangement, decision="agree")["Location"] == "/staff/income/arrangements/"
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.agreed_pence, arrangement.agreed_every) == ("agreed", 1000, "week")
    assert arrangement.decided_by == income_officer(cast) and arrangement.decided_at is not None
    shown = account_page(cast, "alice", arrangement.account)
    assert "£10.00 every week, on top of your usual rent and charges" in shown
    assert "Your arrangement starts on" in shown and ASK not in shown
    [event] = events("payment_arrangement.agreed")
    assert (event.payload["agreed_pence"], event.payload["agreed_every"], event.payload["status"]) == (
        1000,
        "week",
        "agreed",
    )
    assert AccessEvent.objects.filter(object_type="payment_arrangement", action="update", reason="agreed").exists()


def test_agreeing_with_changes_needs_new_terms_and_a_reason_the_resident_reads(cast: Cast) -> None:
    arrangement = a_proposal(cast, pence=1000)
    for data, why in (
        ({"decision": "change", "amount": "20.00", "every": "week"}, "Enter the reason you are changing"),
        ({"decision": "change", "amount": "10.00", "every": "week", "reason": "x"}, "Change the amount or how often"),
        ({"decision": "change", "amount": "600.00", "every": "week", "reason": "x"}, "£500.00 or less"),
        ({}, "Select what you have decided"),
    ):
        page = decide(cast, arrangement, **data).content.decode()
        assert "govuk-error-summary" in page and why in page, data
    reason = "£10 a week would take four years. We have agreed £20 a week."
    decide(cast, arrangement, decision="change", amount="20.00", every="week", reason=reason)
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.agreed_pence, arrangement.was_changed) == ("agreed", 2000, True)
    shown = account_page(cast, "alice", arrangement.account)
    assert "£20.00 every week" in shown and "You asked to pay £10.00 every week" in shown and "four years" in shown
    assert AccessEvent.objects.filter(reason="agreed with changes").exists()


def test_declining_needs_a_reason_and_the_resident_may_ask_again(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    page = decide(cast, arrangement, decision="decline").content.decode()
    assert "Enter the reason you are declining" in page
    decide(cast, arrangement, decision="decline", reason="Please call us to talk about your income first.")
    arrangement.refresh_from_db()
    assert arrangement.status == "declined"
    shown = account_page(cast, "alice", arrangement.account)
    assert "We could not agree" in shown and "talk about your income first" in shown and ASK in shown
    [event] = events("payment_arrangement.declined")
    assert event.payload["reason"] == "Please call us to talk about your income first."


def test_a_proposal_is_decided_once(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    decide(cast, arrangement, decision="agree")
    again = decide(cast, arrangement, decision="decline", reason="Changed my mind")
    assert again["Location"] == f"/staff/income/arrangements/{arrangement.uuid}/"
    arrangement.refresh_from_db()
    assert arrangement.status == "agreed" and not events("payment_arrangement.declined")


def test_a_decision_on_a_stale_page_finds_the_proposal_already_answered(cast: Cast) -> None:
    """Two officers open the same proposal; the second's decision, made from what they read
    before the first decided, is refused, whatever their copy of it says."""
    arrangement = a_proposal(cast)
    stale = PaymentArrangement.objects.get(pk=arrangement.pk)
    actor = actor_for_user(income_officer(cast), verified=True)
    arrangement_decide(actor=actor, arrangement=arrangement, terms=(1000, "week"), reason="")
    with pytest.raises(AlreadyDecided):
        arrangement_decide(actor=actor, arrangement=stale, terms=None, reason="No")
    assert PaymentArrangement.objects.get().status == "agreed" and len(OutboxEvent.objects.all()) == 2


def test_a_proposal_withdrawn_meanwhile_cannot_be_decided(cast: Cast) -> None:
    arrangement = a_proposal(cast)
    resident(cast, "alice").post(f"/rent/arrangements/{arrangement.uuid}/withdraw/")
    decide(cast, arrangement, decision="agree")
    assert PaymentArrangement.objects.get().status == "withdrawn" and not events("payment_arrangement.agreed")


# --- Keeping to it -------------------------------------------------------------------------


def agreed_since(cast: Cast, days: int, *paid: int) -> RentAccount:
    """An arrangement of £10 a week agreed from `days` ago, on a £98.40 weekly account with
    £500 of arrears before it, and payments of `paid` pence since (one a day up to yesterday)."""
    account = an_account(cast["ashton"].tenancy, ("Arrears", 50000), *[("Payment, thank you", -p) for p in paid])
    start = TODAY - datetime.timedelta(days=days)
    AccountTransaction.objects.filter(account=account, description="Arrears").update(posted_on=start)
    arrangement = a_proposal(cast, account=account, pence=1000, starts_on=start)
    arrangement_decide(
        actor=actor_for_user(income_officer(cast), verified=True),
        arrangement=arrangement,
        terms=(1000, "week"),
        reason="",
    )
    return account


def test_a_resident_who_paid_what_fell_due_is_told_they_are_keeping_to_it(cast: Cast) -> None:
    # Two Mondays' worth since the start (the start day and a week on): 2 x (£98.40 + £10).
    account = agreed_since(cast, 7, 10840, 10840)
    assert "You are keeping to your arrangement" in account_page(cast, "alice", account)


def test_a_resident_who_paid_less_is_told_how_much_and_since_when(cast: Cast) -> None:
    account = agreed_since(cast, 7, 10840, 5000)
    start = TODAY - datetime.timedelta(days=7)
    shown = account_page(cast, "alice", account)
    assert f"You have paid £58.40 less than agreed since {start.day} {start:%B %Y}" in shown
