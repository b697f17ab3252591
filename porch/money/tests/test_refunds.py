"""Refunds of card payments: one income officer proposes, a second approves and only then is
money sent back through GOV.UK Pay (on a loopback server), never more than is left and never
twice; the proposer cannot approve their own, in the page or in the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from conftest import Cast, make_staff, sign_in
from porch.accounts.models import User
from porch.core.roles import StaffRole
from porch.money.models import Payment, Refund
from porch.outbox.models import OutboxEvent

from .govuk_pay_server import API_KEY, WEBHOOK_SECRET, GovukPayServer, govuk_pay_server
from .helpers import ashton_payment, income_officer


@pytest.fixture
def pay(settings: Any) -> Iterator[GovukPayServer]:
    with govuk_pay_server() as server:
        settings.PAYMENTS_PROVIDER, settings.GOVUK_PAY_API_URL = "govuk_pay", server.url
        settings.GOVUK_PAY_API_KEY, settings.GOVUK_PAY_WEBHOOK_SECRET = API_KEY, WEBHOOK_SECRET
        yield server


@pytest.fixture
def payment(cast: Cast, pay: GovukPayServer) -> Payment:
    """Alice's £25.00 card payment, which went through at GOV.UK Pay."""
    paid = Payment.objects.get(uuid=ashton_payment(cast))
    pay.payments[paid.provider_id] = {"payment_id": paid.provider_id, "amount": 2500, "state": {"status": "success"}}
    Payment.objects.filter(pk=paid.pk).update(provider="govuk_pay")
    paid.refresh_from_db()
    return paid


def second_officer() -> User:
    return make_staff("income.two@staff.example.org", [StaffRole.INCOME_OFFICER], [])


def propose(client: Client, payment: Payment, amount: str = "10.00", reason: str = "Paid twice") -> Any:
    return client.post(f"/staff/income/card-payments/{payment.uuid}/refund/", {"amount": amount, "reason": reason})


def decide(client: Client, refund: Refund, decision: str = "approve", *, follow: bool = False) -> Any:
    return client.post(f"/staff/income/refunds/{refund.uuid}/", {"decision": decision}, follow=follow)


def test_one_officer_proposes_another_approves_and_the_money_goes_back(
    cast: Cast, pay: GovukPayServer, payment: Payment
) -> None:
    first = sign_in(Client(), income_officer(cast))
    assert propose(first, payment).status_code == 302
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.PROPOSED and not pay.refunded
    own = first.get(f"/staff/income/refunds/{refund.uuid}/").content.decode()
    assert "another income officer must decide it" in own
    assert "another income officer must decide it" in decide(first, refund).content.decode()
    second = sign_in(Client(), second_officer())
    assert refund.payment.reference in second.get("/staff/income/refunds/").content.decode()
    assert decide(second, refund).status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED and refund.provider_refund_id
    assert pay.refunded == {payment.provider_id: 1000}
    (sent,) = OutboxEvent.objects.filter(topic="refund.made")
    assert sent.payload["amount_pence"] == 1000 and sent.payload["payment_reference"] == payment.reference
    assert "Someone has already decided" in decide(second, refund).content.decode()
    assert pay.refunded == {payment.provider_id: 1000}


def test_never_more_than_is_left_and_one_waiting_at_a_time(cast: Cast, pay: GovukPayServer, payment: Payment) -> None:
    first = sign_in(Client(), income_officer(cast))
    assert "£25.00 or less" in propose(first, payment, amount="25.01").content.decode()
    propose(first, payment, amount="10.00")
    assert "already waiting for a second person" in propose(first, payment, amount="1.00").content.decode()
    decide(sign_in(Client(), second_officer()), Refund.objects.get())
    assert "£15.00 or less" in propose(first, payment, amount="20.00").content.decode()
    assert propose(first, payment, amount="15.00").status_code == 302


def test_the_provider_down_leaves_it_approved_and_sending_again_refunds_once(
    cast: Cast, pay: GovukPayServer, payment: Payment
) -> None:
    propose(sign_in(Client(), income_officer(cast)), payment)
    refund = Refund.objects.get()
    second = sign_in(Client(), second_officer())
    pay.failing_with = 503
    answer = decide(second, refund, follow=True).content.decode()
    assert "approved" in answer and "may not have been sent yet" in answer
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SENDING and refund.decided_by is not None and not pay.refunded
    assert not OutboxEvent.objects.filter(topic="refund.made").exists()
    pay.failing_with = None
    assert second.post(f"/staff/income/refunds/{refund.uuid}/").status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED and pay.refunded == {payment.provider_id: 1000}
    assert OutboxEvent.objects.filter(topic="refund.made").count() == 1


def test_a_refund_the_provider_took_but_porch_never_recorded_is_found_not_sent_again(
    cast: Cast, pay: GovukPayServer, payment: Payment
) -> None:
    """The provider took the refund, and then the answer was lost (or the commit failed)."""
    officer = income_officer(cast)
    refund = Refund.objects.create(
        payment=payment, tenancy=payment.tenancy, amount_pence=1000, reason="x", proposed_by=second_officer()
    )
    Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.SENDING, decided_by=officer)
    pay.refunded[payment.provider_id] = 1000
    pay.refunds_made[payment.provider_id] = [{"refund_id": "taken-already", "amount": 1000, "status": "success"}]
    assert sign_in(Client(), officer).post(f"/staff/income/refunds/{refund.uuid}/").status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id) == (Refund.Status.REFUNDED, "taken-already")
    assert pay.refunded == {payment.provider_id: 1000}


def test_a_rejected_refund_sends_nothing(cast: Cast, pay: GovukPayServer, payment: Payment) -> None:
    propose(sign_in(Client(), income_officer(cast)), payment)
    decide(sign_in(Client(), second_officer()), Refund.objects.get(), "reject")
    assert Refund.objects.get().status == Refund.Status.REJECTED and not pay.refunded


def test_the_database_refuses_the_proposer_as_the_second_person(cast: Cast, payment: Payment) -> None:
    officer = income_officer(cast)
    refund = Refund.objects.create(
        payment=payment, tenancy=payment.tenancy, amount_pence=100, reason="x", proposed_by=officer
    )
    with pytest.raises(IntegrityError):
        Refund.objects.filter(pk=refund.pk).update(decided_by=officer)


@pytest.mark.parametrize("who", ["cs", "dpo", "north"])
def test_only_income_officers_touch_refunds(cast: Cast, payment: Payment, who: str) -> None:
    client = sign_in(Client(), cast.staff[who])
    assert propose(client, payment).status_code == 403
    assert client.get("/staff/income/refunds/").status_code == 403
    assert not Refund.objects.exists()
