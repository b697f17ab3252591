"""The income team's reconciliation of card payments against the housing system's record:
paid here and not posted after three days, posted with a reference that was not paid here for
that amount, and unfinished after a day (asked of the provider on request)."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.money.models import AccountTransaction, Payment

from .govuk_pay_server import API_KEY, WEBHOOK_SECRET, govuk_pay_server
from .helpers import ashton_payment, income_officer

PAGE = "/staff/income/card-payments/"


def officer(cast: Cast) -> Client:
    return sign_in(Client(), income_officer(cast))


def a_payment(cast: Cast, *, days_ago: float, status: str = Payment.Status.PAID, pence: int = 2500) -> Payment:
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Payment.objects.filter(pk=payment.pk).update(
        status=status, amount_pence=pence, created_at=when, finished_at=when if status == Payment.Status.PAID else None
    )
    payment.refresh_from_db()
    return payment


def posted(payment: Payment, pence: int, reference: str | None = None) -> None:
    AccountTransaction.objects.create(
        hms_reference=f"TX-{payment.reference}",
        account=payment.account,
        tenancy=payment.tenancy,
        posted_on=timezone.localdate(),
        kind=AccountTransaction.Kind.PAYMENT,
        description="Card payment",
        amount_pence=-pence,
        payment_reference=reference or payment.reference,
    )


def sections(page: str) -> list[str]:
    """The page's three lists, in order: paid and not posted, mismatched, unfinished."""
    return page.split('<h2 class="govuk-heading-m">')[1:]


def test_paid_here_and_not_posted_after_three_days_is_listed(cast: Cast) -> None:
    late, recent = a_payment(cast, days_ago=4), a_payment(cast, days_ago=1)
    not_posted = sections(officer(cast).get(PAGE).content.decode())[0]
    assert late.reference in not_posted and recent.reference not in not_posted
    posted(late, 2500)
    assert late.reference not in sections(officer(cast).get(PAGE).content.decode())[0]
    assert AccessEvent.objects.filter(object_type="card_payment", reason="payment lookup: reconciliation").exists()


def test_a_posting_that_does_not_match_a_payment_here_is_listed_with_why(cast: Cast) -> None:
    right, wrong_amount = a_payment(cast, days_ago=2), a_payment(cast, days_ago=2)
    posted(right, 2500)
    posted(wrong_amount, 2000)
    never = a_payment(cast, days_ago=2)
    posted(never, 2500, reference="PAY-NOTHERE1")
    mismatched = sections(officer(cast).get(PAGE).content.decode())[1]
    assert right.reference not in mismatched
    assert wrong_amount.reference in mismatched and "Paid £25.00" in mismatched
    assert "PAY-NOTHERE1" in mismatched and "No payment here has this reference" in mismatched


def test_an_unfinished_payment_can_be_asked_of_the_provider(cast: Cast, settings: Any) -> None:
    with govuk_pay_server() as pay:
        settings.PAYMENTS_PROVIDER, settings.GOVUK_PAY_API_URL = "govuk_pay", pay.url
        settings.GOVUK_PAY_API_KEY, settings.GOVUK_PAY_WEBHOOK_SECRET = API_KEY, WEBHOOK_SECRET
        payment = a_payment(cast, days_ago=2, status=Payment.Status.IN_PROGRESS)
        created = pay.payments.setdefault(
            payment.provider_id, {"payment_id": payment.provider_id, "state": {"status": "started"}}
        )
        Payment.objects.filter(pk=payment.pk).update(provider="govuk_pay")
        client = officer(cast)
        assert payment.reference in sections(client.get(PAGE).content.decode())[2]
        created["state"] = {"status": "failed", "finished": True, "message": "Payment expired"}
        answer = client.post(f"/staff/income/card-payments/{payment.uuid}/check/", follow=True)
        assert f"{payment.reference} did not go through" in answer.content.decode()
        payment.refresh_from_db()
        assert payment.status == Payment.Status.NOT_PAID and payment.outcome == "Payment expired"


def test_customer_services_and_a_test_households_payment_are_kept_out(cast: Cast) -> None:
    late = a_payment(cast, days_ago=4)
    assert sign_in(Client(), cast.staff["cs"]).get(PAGE).status_code == 403
    Payment.objects.filter(pk=late.pk).update(is_test=True)
    assert late.reference not in officer(cast).get(PAGE).content.decode()
    assert officer(cast).post(f"/staff/income/card-payments/{late.uuid}/check/").status_code == 404
