"""Pay now, against GOV.UK Pay's API on a loopback server: one payment whatever happens
(double submit, the return and the callback in either order or twice, the tab closed), shown
as on its way until the housing system posts it, and sent to the housing system once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast, make_staff, sign_in
from porch.audit.models import AccessEvent
from porch.core.roles import StaffRole
from porch.money.models import AccountTransaction, Payment, RentAccount
from porch.outbox.models import OutboxEvent

from .govuk_pay_server import API_KEY, WEBHOOK_SECRET, GovukPayServer, govuk_pay_server, sign
from .helpers import an_account
from .test_resident_rent import viewing_as_alice

CALLBACK = "/payments/callback/"


@pytest.fixture
def pay(settings: Any) -> Iterator[GovukPayServer]:
    with govuk_pay_server() as server:
        settings.PAYMENTS_PROVIDER, settings.PAYMENTS_PAGE_ORIGINS = "govuk_pay", [server.url]
        settings.GOVUK_PAY_API_URL = server.url
        settings.GOVUK_PAY_API_KEY = API_KEY
        settings.GOVUK_PAY_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.PAYMENTS_TIMEOUT_SECONDS = 2
        yield server


@pytest.fixture
def account(cast: Cast) -> RentAccount:
    return an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment, thank you", -5000))


def alice(cast: Cast) -> Client:
    return sign_in(Client(), cast.resident("alice"))


def attempt_key(client: Client, account: RentAccount) -> str:
    form = client.get(f"/rent/{account.uuid}/pay/").content.decode()
    found = re.search(r'name="attempt_key" value="([0-9a-f-]+)"', form)
    assert found, form
    return found.group(1)


def pay_now(client: Client, account: RentAccount, amount: str = "48.40", key: str | None = None) -> Any:
    key = key or attempt_key(client, account)
    return client.post(f"/rent/{account.uuid}/pay/", {"amount": amount, "attempt_key": key})


def callback(client: Client, body: bytes, signature: str) -> Any:
    return client.post(CALLBACK, body, content_type="application/json", headers={"Pay-Signature": signature})


def sent_to_housing_system() -> list[dict[str, Any]]:
    return [event.payload for event in OutboxEvent.objects.filter(topic="payment.received")]


def test_paying_goes_to_the_providers_page_and_back_to_a_receipt(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    assert "You owe £48.40" in client.get(f"/rent/{account.uuid}/pay/").content.decode()
    response = pay_now(client, account)
    payment = Payment.objects.get()
    assert response.status_code == 303 and response["Location"] == f"{pay.url}/secure/{payment.provider_id}"
    (asked,) = pay.created()
    assert asked["amount"] == 4840 and asked["reference"] == payment.reference
    assert asked["return_url"].endswith(f"/rent/payments/{payment.uuid}/")
    headers = pay.requests[0][2]
    assert headers["Idempotency-Key"] == str(payment.uuid) and headers["Authorization"] == f"Bearer {API_KEY}"
    assert payment.status == Payment.Status.IN_PROGRESS and not sent_to_housing_system()

    pay.finish(payment.provider_id, "success")
    receipt = client.get(f"/rent/payments/{payment.uuid}/").content.decode()
    assert "Payment received" in receipt and payment.reference in receipt and "£48.40" in receipt
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.finished_at is not None
    (sent,) = sent_to_housing_system()
    assert sent["payment_reference"] == payment.reference and sent["amount_pence"] == 4840
    assert sent["account_ref"] == account.hms_reference
    assert AccessEvent.objects.filter(object_type="card_payment", object_id=str(payment.uuid)).count() >= 2


def test_a_double_submit_is_one_payment_and_one_page(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    key = attempt_key(client, account)
    first, second = pay_now(client, account, key=key), pay_now(client, account, key=key)
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1 and len(pay.created()) == 1


def test_the_callback_before_the_return_and_twice_settles_once(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    pay_now(client, account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    body, signature = pay.webhook(payment.provider_id)
    assert callback(Client(), body, signature).status_code == 200
    assert callback(Client(), body, signature).status_code == 200
    assert "Payment received" in client.get(f"/rent/payments/{payment.uuid}/").content.decode()
    assert len(sent_to_housing_system()) == 1
    assert not [r for r in pay.requests if r[0] == "GET"]  # finished already: the provider is not asked again


def test_a_resident_who_closes_the_tab_is_settled_by_the_callback(cast: Cast, pay: GovukPayServer, account) -> None:
    pay_now(alice(cast), account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    callback(Client(), *pay.webhook(payment.provider_id))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and len(sent_to_housing_system()) == 1


def test_a_finished_payment_never_changes_again(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    pay_now(client, account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "cancelled", "Payment was cancelled by the user")
    page = client.get(f"/rent/payments/{payment.uuid}/").content.decode()
    assert "did not go through" in page and "No money has been taken" in page
    pay.finish(payment.provider_id, "success")  # a message out of order, or forged with the secret
    callback(Client(), *pay.webhook(payment.provider_id))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.NOT_PAID and payment.outcome == "Payment was cancelled by the user"
    assert not sent_to_housing_system()


def test_a_callback_with_a_bad_signature_or_for_no_payment_is_refused(cast: Cast, pay: GovukPayServer, account) -> None:
    pay_now(alice(cast), account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    body, signature = pay.webhook(payment.provider_id)
    assert callback(Client(), body, sign(body, "not-the-secret")).status_code == 401
    assert callback(Client(), body + b" ", signature).status_code == 401
    assert Client().post(CALLBACK, body, content_type="application/json").status_code == 401
    payment.refresh_from_db()
    assert payment.status == Payment.Status.IN_PROGRESS
    stranger = body.replace(payment.provider_id.encode(), b"no-such-payment-000000000")
    assert callback(Client(), stranger, sign(stranger)).status_code == 404
    not_json = b"not json"
    assert callback(Client(), not_json, sign(not_json)).status_code == 401
    assert not sent_to_housing_system()


def test_the_provider_down_loses_nothing_and_takes_nothing(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    pay.failing_with = 503
    key = attempt_key(client, account)
    response = pay_now(client, account, amount="20.00", key=key)
    page = response.content.decode()
    assert response.status_code == 200 and "could not reach our card payment provider" in page
    assert 'value="20.00"' in page and key not in page  # the amount kept; the next try a key of its own
    (tried,) = Payment.objects.all()
    assert tried.status == Payment.Status.NOT_STARTED and tried.outcome
    pay.failing_with = None
    assert pay_now(client, account, amount="20.00").status_code == 303
    assert Payment.objects.filter(status=Payment.Status.IN_PROGRESS).count() == 1


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("12.505", "nearest penny"),
        ("-5", "more than £0"),
        ("0", "£0.01 or more"),
        ("5000.01", "£5,000.00 or less"),
        ("", "Enter how much you want to pay"),
        ("twelve", "like 25.50"),
    ],
)
def test_an_amount_that_is_not_one_is_refused_plainly(
    cast: Cast, pay: GovukPayServer, account, amount: str, why: str
) -> None:
    response = pay_now(alice(cast), account, amount=amount)
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and why in page
    assert not Payment.objects.exists() and not pay.requests


def test_a_paid_payment_is_on_its_way_until_the_housing_system_posts_it(
    cast: Cast, pay: GovukPayServer, account
) -> None:
    client = alice(cast)
    pay_now(client, account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    callback(Client(), *pay.webhook(payment.provider_id))
    assert "Payments on their way" in client.get(f"/rent/{account.uuid}/").content.decode()
    AccountTransaction.objects.create(
        hms_reference="TX-PAID",
        account=account,
        tenancy=account.tenancy,
        posted_on=timezone.localdate(),
        kind=AccountTransaction.Kind.PAYMENT,
        description="Card payment",
        amount_pence=-4840,
        payment_reference=payment.reference,
    )
    page = client.get(f"/rent/{account.uuid}/").content.decode()
    assert "Payments on their way" not in page and f"paid online, reference {payment.reference}" in page


def test_another_household_cannot_see_a_payment_or_use_its_key(cast: Cast, pay: GovukPayServer, account) -> None:
    client = alice(cast)
    key = attempt_key(client, account)
    pay_now(client, account, key=key)
    payment = Payment.objects.get()
    carol = sign_in(Client(), cast.resident("carol"))
    assert carol.get(f"/rent/payments/{payment.uuid}/").status_code == 404
    coles = an_account(cast["cole"].tenancy, ("Rent", 9840))
    assert pay_now(carol, coles, key=key).status_code == 404  # a key from another account's form
    assert Payment.objects.count() == 1


def test_staff_viewing_as_a_resident_cannot_pay_for_them(cast: Cast, pay: GovukPayServer, account) -> None:
    """Viewing as a resident is reading only: the income team see Alice's account as she
    does, without the pay button, and a payment sent anyway is refused before it starts."""
    assert "Pay by card" in alice(cast).get(f"/rent/{account.uuid}/").content.decode()
    income = make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    client = viewing_as_alice(cast, income)
    assert "Pay by card" not in client.get(f"/rent/{account.uuid}/").content.decode()
    refused = client.post(f"/rent/{account.uuid}/pay/", {"amount": "5", "attempt_key": str(uuid4())})
    assert refused.status_code in (302, 403) and not Payment.objects.exists() and not pay.requests


def test_without_a_provider_there_is_no_pay_page(cast: Cast, settings: Any, account) -> None:
    settings.PAYMENTS_PROVIDER = ""
    client = alice(cast)
    assert "Pay by card" not in client.get(f"/rent/{account.uuid}/").content.decode()
    assert client.get(f"/rent/{account.uuid}/pay/").status_code == 404


def test_the_demo_sandbox_takes_a_pretend_payment_end_to_end(cast: Cast, settings: Any, account) -> None:
    settings.PAYMENTS_PROVIDER = "sandbox"
    client = alice(cast)
    pretend_page = pay_now(client, account, amount="10.00")["Location"]
    assert "No card is asked for" in client.get(pretend_page).content.decode()
    back = client.post(pretend_page, {"answer": "pay"})["Location"]
    payment = Payment.objects.get()
    assert back.endswith(f"/rent/payments/{payment.uuid}/")
    assert "Payment received" in client.get(back).content.decode()
    assert len(sent_to_housing_system()) == 1


def test_a_message_for_another_amount_settles_nothing(cast: Cast, pay: GovukPayServer, account) -> None:
    pay_now(alice(cast), account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    pay.payments[payment.provider_id]["amount"] = 1  # the provider's record says 1p, not £48.40
    callback(Client(), *pay.webhook(payment.provider_id))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.IN_PROGRESS and not sent_to_housing_system()


def test_staff_viewing_as_a_resident_read_a_payment_without_settling_it(
    cast: Cast, pay: GovukPayServer, account
) -> None:
    pay_now(alice(cast), account)
    payment = Payment.objects.get()
    pay.finish(payment.provider_id, "success")
    income = make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], [])
    page = viewing_as_alice(cast, income).get(f"/rent/payments/{payment.uuid}/").content.decode()
    assert "Waiting for your payment" in page
    payment.refresh_from_db()
    assert payment.status == Payment.Status.IN_PROGRESS and not sent_to_housing_system()


def test_the_pay_page_is_audited_and_warns_of_a_payment_started_and_not_finished(
    cast: Cast, pay: GovukPayServer, account
) -> None:
    client = alice(cast)
    pay_now(client, account)
    started = Payment.objects.get()
    page = client.get(f"/rent/{account.uuid}/pay/").content.decode()
    assert "that has not finished yet" in page and started.reference in page
    assert AccessEvent.objects.filter(object_type="rent_account", reason="balance, to pay by card").exists()
    shown = AccessEvent.objects.filter(
        object_type="card_payment", object_id=str(started.uuid), reason="on the pay page"
    )
    assert shown.exists()


def test_only_the_pay_page_lets_its_form_lead_to_the_providers_page(
    cast: Cast, pay: GovukPayServer, account, settings: Any
) -> None:
    """Browsers hold the redirect after a form to the page's form-action: the provider's
    origin is allowed on the pay page, and nowhere else."""
    settings.PAYMENTS_PAGE_ORIGINS = ["https://card.payments.service.gov.uk"]
    client = alice(cast)
    policy = client.get(f"/rent/{account.uuid}/pay/")["Content-Security-Policy"]
    assert "form-action 'self' https://card.payments.service.gov.uk" in policy
    assert "card.payments" not in client.get(f"/rent/{account.uuid}/")["Content-Security-Policy"]


def test_a_payment_page_elsewhere_than_the_providers_is_never_followed(
    cast: Cast, pay: GovukPayServer, account, settings: Any
) -> None:
    settings.PAYMENTS_PAGE_ORIGINS = ["https://card.payments.service.gov.uk"]
    response = pay_now(alice(cast), account)
    assert response.status_code == 200 and "could not reach our card payment provider" in response.content.decode()
